package io.noex;

import java.util.List;
import java.util.Objects;

/**
 * The supervisor operations of one node, as {@link Node#supervisors()} returns them; the static
 * {@link Supervisor} facade delegates here for the current node. Each operation is a call to the
 * supervisor process (default timeout, 5 s, or the child's start time when starting children).
 *
 * <p>Threading: thread-safe; blocking.
 */
public final class Supervisors {

    private final Node node;

    Supervisors(Node node) {
        this.node = node;
    }

    /**
     * Starts a supervisor and, in order, its children.
     *
     * @param spec strategy, restart intensity and children
     * @return the supervisor's ref
     * @throws InitFailedException if a child failed to start (those started are stopped again)
     */
    public GenServerRef start(SupervisorSpec spec) {
        return node.startSupervisor(spec);
    }

    /**
     * Adds and starts a child (not for {@code SIMPLE_ONE_FOR_ONE}).
     *
     * @param supervisor the supervisor
     * @param child the child's spec
     * @return the child's ref
     * @throws SupervisorException if the id exists or the strategy is {@code SIMPLE_ONE_FOR_ONE}
     * @throws InitFailedException if the child failed to start (the supervisor keeps running)
     */
    public GenServerRef startChild(GenServerRef supervisor, ChildSpec child) {
        Objects.requireNonNull(child, "child");
        return request(supervisor, new SupervisorRequest.StartChild(child));
    }

    /**
     * Starts another instance of a {@code SIMPLE_ONE_FOR_ONE} supervisor's template, with
     * {@code extraArgs} appended to the template's init arguments.
     *
     * @param supervisor the supervisor
     * @param extraArgs more init arguments
     * @return the child's ref
     */
    public GenServerRef startChild(GenServerRef supervisor, List<?> extraArgs) {
        return request(supervisor, new SupervisorRequest.StartDynamicChild(List.copyOf(extraArgs)));
    }

    /**
     * Stops a child (with its shutdown time, then kill). A static child's spec is kept, so it can
     * be restarted with {@link #restartChild} (temporary children are removed).
     *
     * @param supervisor the supervisor
     * @param childId the child's id (for {@code SIMPLE_ONE_FOR_ONE}: its process id)
     * @throws SupervisorException if there is no such child
     */
    public void terminateChild(GenServerRef supervisor, String childId) {
        request(supervisor, new SupervisorRequest.TerminateChild(Objects.requireNonNull(childId, "childId")));
    }

    /**
     * Starts a terminated child again.
     *
     * @param supervisor the supervisor
     * @param childId the child's id
     * @return the child's new ref
     * @throws SupervisorException if there is no such child or it is running
     */
    public GenServerRef restartChild(GenServerRef supervisor, String childId) {
        return request(supervisor, new SupervisorRequest.RestartChild(Objects.requireNonNull(childId, "childId")));
    }

    /**
     * Removes a terminated child's spec.
     *
     * @param supervisor the supervisor
     * @param childId the child's id
     * @throws SupervisorException if there is no such child or it is running
     */
    public void deleteChild(GenServerRef supervisor, String childId) {
        request(supervisor, new SupervisorRequest.DeleteChild(Objects.requireNonNull(childId, "childId")));
    }

    /**
     * @param supervisor the supervisor
     * @return its children in start order
     */
    public List<ChildInfo> whichChildren(GenServerRef supervisor) {
        return request(supervisor, new SupervisorRequest.WhichChildren());
    }

    /**
     * @param supervisor the supervisor
     * @return its child counts
     */
    public ChildCounts countChildren(GenServerRef supervisor) {
        return request(supervisor, new SupervisorRequest.CountChildren());
    }

    /**
     * Stops the supervisor: its children are stopped in reverse start order, then it exits.
     *
     * @param supervisor the supervisor
     */
    public void stop(GenServerRef supervisor) {
        node.stop(supervisor, ExitReason.shutdown(), ChildSpec.INFINITY);
    }

    @SuppressWarnings("unchecked")
    private <T> T request(GenServerRef supervisor, SupervisorRequest request) {
        Objects.requireNonNull(supervisor, "supervisor");
        Object reply = node.call(supervisor, request, SupervisorSpec.DEFAULT_START_TIMEOUT);
        if (reply instanceof SupervisorRequest.Refused r) {
            throw r.error();
        }
        return (T) reply;
    }
}
