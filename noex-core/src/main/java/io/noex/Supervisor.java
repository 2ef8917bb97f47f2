package io.noex;

import java.util.List;

/**
 * Supervisors of the current node (inside a callback: the node running it; elsewhere the default
 * node), with Erlang's strategies, restart types, shutdown times and restart intensity. Each
 * method delegates to {@link Node#current()}{@code .supervisors()}; see {@link Supervisors}.
 * {@snippet :
 * GenServerRef sup = Supervisor.start(SupervisorSpec.builder()
 *         .strategy(SupervisorStrategy.ONE_FOR_ONE)
 *         .child(ChildSpec.worker("counter", new Counter()).build())
 *         .build());
 * }
 *
 * <p>A supervisor is a process that traps exits and links to its children. When a child exits it
 * applies its {@link SupervisorStrategy} to the child's {@link RestartType}. More than
 * {@code maxRestarts} restarts within the window make it stop its children and exit with an
 * {@code error} reason, which its own supervisor (or any linked process) sees.
 */
public final class Supervisor {

    private Supervisor() {
    }

    /**
     * @param spec the supervisor's spec
     * @return its ref
     * @see Supervisors#start(SupervisorSpec)
     */
    public static GenServerRef start(SupervisorSpec spec) {
        return Node.current().supervisors().start(spec);
    }

    /**
     * @param spec the supervisor's spec
     * @return its ref, linked to the calling process
     * @see Node#startSupervisorLink(SupervisorSpec)
     */
    public static GenServerRef startLink(SupervisorSpec spec) {
        return Node.current().startSupervisorLink(spec);
    }

    /**
     * @param supervisor the supervisor
     * @param child the child's spec
     * @return the child's ref
     * @see Supervisors#startChild(GenServerRef, ChildSpec)
     */
    public static GenServerRef startChild(GenServerRef supervisor, ChildSpec child) {
        return Node.current().supervisors().startChild(supervisor, child);
    }

    /**
     * @param supervisor a {@code SIMPLE_ONE_FOR_ONE} supervisor
     * @param extraArgs init arguments after the template's
     * @return the child's ref
     * @see Supervisors#startChild(GenServerRef, List)
     */
    public static GenServerRef startChild(GenServerRef supervisor, List<?> extraArgs) {
        return Node.current().supervisors().startChild(supervisor, extraArgs);
    }

    /**
     * @param supervisor the supervisor
     * @param childId the child
     * @see Supervisors#terminateChild(GenServerRef, String)
     */
    public static void terminateChild(GenServerRef supervisor, String childId) {
        Node.current().supervisors().terminateChild(supervisor, childId);
    }

    /**
     * @param supervisor the supervisor
     * @param childId the child
     * @return the child's new ref
     * @see Supervisors#restartChild(GenServerRef, String)
     */
    public static GenServerRef restartChild(GenServerRef supervisor, String childId) {
        return Node.current().supervisors().restartChild(supervisor, childId);
    }

    /**
     * @param supervisor the supervisor
     * @param childId the child
     * @see Supervisors#deleteChild(GenServerRef, String)
     */
    public static void deleteChild(GenServerRef supervisor, String childId) {
        Node.current().supervisors().deleteChild(supervisor, childId);
    }

    /**
     * @param supervisor the supervisor
     * @return its children
     * @see Supervisors#whichChildren(GenServerRef)
     */
    public static List<ChildInfo> whichChildren(GenServerRef supervisor) {
        return Node.current().supervisors().whichChildren(supervisor);
    }

    /**
     * @param supervisor the supervisor
     * @return its child counts
     * @see Supervisors#countChildren(GenServerRef)
     */
    public static ChildCounts countChildren(GenServerRef supervisor) {
        return Node.current().supervisors().countChildren(supervisor);
    }

    /**
     * @param supervisor the supervisor
     * @see Supervisors#stop(GenServerRef)
     */
    public static void stop(GenServerRef supervisor) {
        Node.current().supervisors().stop(supervisor);
    }
}
