package io.noex.distribution;

import io.noex.ChildCounts;
import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.ServerNotRunningException;
import io.noex.Subscription;
import io.noex.distribution.supervisor.SupervisionService;
import io.noex.distribution.supervisor.SupervisorMessages;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Supervision trees that span nodes: the local {@link io.noex.Supervisor}'s strategies, restart
 * types, shutdown times and restart intensity, with each child placed on a node by a
 * {@link NodeSelector} and started there by name ({@link BehaviorRegistry}).
 * {@snippet :
 * DistributedSupervisorRef sup = DistributedSupervisor.start(DistributedSupervisorSpec.builder()
 *         .strategy(SupervisorStrategy.ONE_FOR_ONE)
 *         .nodeSelector(NodeSelector.roundRobin())
 *         .restartIntensity(20, Duration.ofSeconds(10))
 *         .child(DistributedChildSpec.of("worker-1", "worker", List.of(1)))
 *         .child(DistributedChildSpec.of("worker-2", "worker", List.of(2)))
 *         .build());
 * }
 *
 * <p><b>Failover.</b> When a node hosting children is lost, each of its children is started on a
 * live node (a {@code child_migrated} event each, each counting once toward the restart
 * intensity; the strategy restarts siblings with them as it would after a crash): at once if the
 * node's connection closed (it crashed), after the fencing delay if it only stopped answering (it
 * may be alive behind a partition). The fencing delay is two heartbeat intervals plus one more
 * (at least 500 ms): 3 s with the default 1 s heartbeats.
 *
 * <p><b>Never two copies.</b> Every remote child is fenced: its node kills it (untrappably) as
 * soon as it loses the supervisor's node. In a partition the supervisor's side keeps the
 * children: the cut-off side stops hearing heartbeats and kills its fenced children no later than
 * two intervals after the supervisor's side noticed the cut, and the supervisor starts the
 * replacements only after the fencing delay, which is longer. When the partition heals, only the
 * replacements exist; should an old copy have survived all the same (a node too starved to run
 * its heartbeat check), the supervisor kills it the moment that node is back in the same life.
 * This timing assumes every node uses the same heartbeat settings: a node with a longer heartbeat
 * timeout than the supervisor's notices a cut later, and its copies may then run until the
 * partition heals (when they are killed, as above).
 *
 * <p><b>The supervisor's own node.</b> The supervisor runs on the node that started it. If that
 * node dies or is cut off, its remote children are killed by their fences (none runs on
 * unsupervised); a cut-off supervisor starts them again on its own side. If its node leaves the
 * cluster ({@code Cluster.stop}), the supervisor stops first, stopping its children on every
 * node. Start supervisors from code that runs again on restart (an application's own supervisor)
 * to bring the tree back.
 *
 * <p>Lifecycle events can be subscribed to on the supervisor's node. All other operations work
 * from any node.
 */
public final class DistributedSupervisor {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private DistributedSupervisor() {
    }

    private static SupervisionService service(Node node) {
        ClusterMembership m = ClusterMembership.of(node);
        return m.supervision().orElseThrow(() -> new ClusterStateException(m.status(),
                "a DistributedSupervisor needs a running cluster on node " + node.nodeId()));
    }

    /**
     * Starts a supervisor on the current node and, in order, its children.
     *
     * @param spec strategy, selector, intensity and children
     * @return the supervisor
     * @throws io.noex.InitFailedException if a child could not be started (those started are stopped)
     */
    public static DistributedSupervisorRef start(DistributedSupervisorSpec spec) {
        return service(Node.current()).start(spec);
    }

    /**
     * {@link #start(DistributedSupervisorSpec)} on a given node (for several nodes in one JVM).
     *
     * @param node the node to run the supervisor on
     * @param spec the spec
     * @return the supervisor
     */
    public static DistributedSupervisorRef start(Node node, DistributedSupervisorSpec spec) {
        return service(node).start(spec);
    }

    /**
     * Adds and starts a child (not for {@code SIMPLE_ONE_FOR_ONE}).
     *
     * @param sup the supervisor
     * @param child the child; a child with its own selector can only be added on the supervisor's node
     * @return the child's process
     * @throws DistributedSupervisorException if the id exists, no node can take it, or it fails to start
     */
    public static GenServerRef startChild(DistributedSupervisorRef sup, DistributedChildSpec child) {
        return startChild(Node.current(), sup, child);
    }

    /**
     * {@link #startChild(DistributedSupervisorRef, DistributedChildSpec)} asked from a given node
     * (for several nodes in one JVM).
     *
     * @param node the node to ask from
     * @param sup the supervisor
     * @param child the child
     * @return the child's process
     */
    public static GenServerRef startChild(Node node, DistributedSupervisorRef sup, DistributedChildSpec child) {
        if (node.isLocal(sup.ref().nodeId())) {
            return request(node, sup, new SupervisorMessages.StartChildLocal(child));
        }
        if (child.nodeSelector().isPresent()) {
            throw new DistributedSupervisorException(child.id(),
                    "a child with its own node selector can only be added on the supervisor's node " + sup.ref().nodeId(), null);
        }
        return request(node, sup, new SupervisorMessages.StartChild(child.id(), child.behaviorName(), child.initArgs(),
                child.restart().name(), child.shutdown().toMillis()));
    }

    /**
     * Starts another instance of a {@code SIMPLE_ONE_FOR_ONE} supervisor's template.
     *
     * @param sup the supervisor
     * @param extraArgs init arguments after the template's
     * @return the child's process
     */
    public static GenServerRef startChild(DistributedSupervisorRef sup, List<?> extraArgs) {
        return startChild(Node.current(), sup, extraArgs);
    }

    /**
     * {@link #startChild(DistributedSupervisorRef, List)} asked from a given node.
     *
     * @param node the node to ask from
     * @param sup the supervisor
     * @param extraArgs init arguments after the template's
     * @return the child's process
     */
    public static GenServerRef startChild(Node node, DistributedSupervisorRef sup, List<?> extraArgs) {
        return request(node, sup, new SupervisorMessages.StartInstance(List.copyOf(extraArgs)));
    }

    /**
     * Stops a child (with its shutdown time, then kill) wherever it runs.
     *
     * @param sup the supervisor
     * @param childId the child
     */
    public static void terminateChild(DistributedSupervisorRef sup, String childId) {
        terminateChild(Node.current(), sup, childId);
    }

    /**
     * {@link #terminateChild(DistributedSupervisorRef, String)} asked from a given node.
     *
     * @param node the node to ask from
     * @param sup the supervisor
     * @param childId the child
     */
    public static void terminateChild(Node node, DistributedSupervisorRef sup, String childId) {
        request(node, sup, new SupervisorMessages.TerminateChild(childId));
    }

    /**
     * Starts a terminated child again.
     *
     * @param sup the supervisor
     * @param childId the child
     * @return its new process
     */
    public static GenServerRef restartChild(DistributedSupervisorRef sup, String childId) {
        return restartChild(Node.current(), sup, childId);
    }

    /**
     * {@link #restartChild(DistributedSupervisorRef, String)} asked from a given node.
     *
     * @param node the node to ask from
     * @param sup the supervisor
     * @param childId the child
     * @return its new process
     */
    public static GenServerRef restartChild(Node node, DistributedSupervisorRef sup, String childId) {
        return request(node, sup, new SupervisorMessages.RestartChild(childId));
    }

    /**
     * @param sup the supervisor
     * @return its children, in start order, with where they run
     */
    public static List<DistributedChildInfo> getChildren(DistributedSupervisorRef sup) {
        return getChildren(Node.current(), sup);
    }

    /**
     * {@link #getChildren(DistributedSupervisorRef)} asked from a given node.
     *
     * @param node the node to ask from
     * @param sup the supervisor
     * @return its children, in start order, with where they run
     */
    public static List<DistributedChildInfo> getChildren(Node node, DistributedSupervisorRef sup) {
        return request(node, sup, new SupervisorMessages.WhichChildren());
    }

    /**
     * @param sup the supervisor
     * @return its child counts
     */
    public static ChildCounts countChildren(DistributedSupervisorRef sup) {
        return countChildren(Node.current(), sup);
    }

    /**
     * {@link #countChildren(DistributedSupervisorRef)} asked from a given node.
     *
     * @param node the node to ask from
     * @param sup the supervisor
     * @return its child counts
     */
    public static ChildCounts countChildren(Node node, DistributedSupervisorRef sup) {
        return request(node, sup, new SupervisorMessages.CountChildren());
    }

    /**
     * Subscribes to a supervisor's lifecycle events; only on the supervisor's own node.
     *
     * @param sup the supervisor
     * @param handler told of each event, in order, on a virtual thread of its own
     * @return unsubscribes when closed
     */
    public static Subscription onLifecycleEvent(DistributedSupervisorRef sup, Consumer<DistributedSupervisorEvent> handler) {
        return onLifecycleEvent(Node.current(), sup, handler);
    }

    /**
     * {@link #onLifecycleEvent(DistributedSupervisorRef, Consumer)} on a given node, which must be
     * the supervisor's.
     *
     * @param node the supervisor's node
     * @param sup the supervisor
     * @param handler told of each event
     * @return unsubscribes when closed
     */
    public static Subscription onLifecycleEvent(Node node, DistributedSupervisorRef sup, Consumer<DistributedSupervisorEvent> handler) {
        if (!node.isLocal(sup.ref().nodeId())) {
            throw new DistributedSupervisorException("-", "lifecycle events are delivered on the supervisor's node "
                    + sup.ref().nodeId() + " only", null);
        }
        return service(node).subscribe(sup.ref(), handler);
    }

    /**
     * Stops the supervisor: its children are stopped (on every node, in reverse start order),
     * then it exits.
     *
     * @param sup the supervisor
     */
    public static void stop(DistributedSupervisorRef sup) {
        stop(Node.current(), sup);
    }

    /**
     * {@link #stop(DistributedSupervisorRef)} asked from a given node.
     *
     * @param node the node to ask from
     * @param sup the supervisor
     */
    public static void stop(Node node, DistributedSupervisorRef sup) {
        node.stop(sup.ref(), ExitReason.shutdown(), Duration.ofMinutes(5));
    }

    @SuppressWarnings("unchecked")
    private static <T> T request(Node node, DistributedSupervisorRef sup, Object message) {
        Object reply;
        try {
            reply = node.call(sup.ref(), message, CALL_TIMEOUT);
        } catch (ServerNotRunningException e) {
            throw new DistributedSupervisorException("-", "distributed supervisor " + sup.ref()
                    + " is not running (it stopped, or never ran)", e);
        }
        if (reply instanceof SupervisorMessages.Refused r) {
            throw new DistributedSupervisorException(r.childId(), r.message(), null);
        }
        return (T) reply;
    }
}
