package io.noex.distribution.remote;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.NodeNotReachableException;
import io.noex.distribution.NodeDownReason;
import io.noex.distribution.SpawnOptions;
import io.noex.distribution.SpawnResult;
import io.noex.distribution.cluster.ClusterRuntime;
import io.noex.distribution.cluster.Member;
import io.noex.distribution.transport.Connection;
import io.noex.spi.RemoteRouter;

/**
 * Layer 3 of one clustered node: remote calls, casts, spawns and process control, with the
 * table of requests in flight. Built and registered before the cluster runtime starts; when a
 * node goes down every request that went to it fails at once with
 * {@link NodeNotReachableException}, and when the cluster stops every request fails.
 *
 * <p>Threading: thread-safe.
 */
public final class RemoteLayer {

    private final ClusterRuntime runtime;
    private final PendingRequests pending = new PendingRequests();
    private final RemoteCounters counters = new RemoteCounters();
    private final RemoteCalls calls;
    private final SpawnService spawns;
    private final ControlService control;

    /**
     * @param runtime the node's cluster runtime (not started yet)
     * @param node the node
     * @param behaviors the behaviors other nodes may start here
     */
    public RemoteLayer(ClusterRuntime runtime, Node node, BehaviorTable behaviors) {
        this.runtime = runtime;
        this.calls = new RemoteCalls(runtime, pending, counters);
        this.spawns = new SpawnService(runtime, node, behaviors, pending, counters);
        this.control = new ControlService(runtime, node, pending);
        calls.register();
        spawns.register();
        control.register();
        runtime.addListener(new ClusterRuntime.MembershipListener() {
            @Override
            public void nodeUp(Member member) {
            }

            @Override
            public void nodeDown(Member member, NodeDownReason reason) {
                NodeId id = member.id();
                pending.failAll(id, member.incarnation(),
                        () -> new NodeNotReachableException(id, "it went down (" + reason + ") while the request was pending"));
                control.nodeLost(id);
            }

            @Override
            public void connectionClosed(Connection connection) {
                // The answer to a request comes back on the connection it went out on: once that is
                // gone, nothing will come. Usually the node is reported down first; but a request
                // that starts just after a Down (heartbeat timeout, graceful shutdown) and before
                // its connection closes would otherwise wait for its timeout.
                NodeId id = connection.peer();
                pending.failAll(id, connection.incarnation(),
                        () -> new NodeNotReachableException(id, "its connection closed while the request was pending"));
            }
        });
    }

    /**
     * @param signals remote monitors and links, from the layer above
     * @return the router to install into the node
     */
    public RemoteRouter router(RemoteSignals signals) {
        return new ClusterRouter(calls, control, signals);
    }

    /**
     * Starts a registered behavior on a node (this one included).
     *
     * @param behavior its registered name
     * @param target the node
     * @param options name, init timeout, spawn timeout, args
     * @return the new process
     */
    public SpawnResult spawn(String behavior, NodeId target, SpawnOptions options) {
        return spawns.spawn(behavior, target, options);
    }

    /**
     * @param target a remote process
     * @param msg the cast
     * @return false if it was dropped
     */
    public boolean cast(GenServerRef target, Object msg) {
        return calls.cast(target, msg, false);
    }

    /**
     * Asks {@code child}'s node to kill it if it loses this node (see {@link ControlService}).
     *
     * @param child a process on another node
     */
    public void fence(GenServerRef child) {
        control.fence(child);
    }

    /** @return local processes that die if their fencing node is lost */
    public int fencedProcesses() {
        return control.fencedCount();
    }

    /**
     * @param source what this node reports about itself when an observer asks
     */
    public void snapshotSource(java.util.function.Supplier<java.util.Map<String, Object>> source) {
        control.snapshotSource(source);
    }

    /**
     * @param target another node
     * @param timeout how long to wait for its answer
     * @return its report about itself
     */
    public java.util.Map<String, Object> snapshot(NodeId target, java.time.Duration timeout) {
        return control.snapshot(target, timeout);
    }

    /** Fails every request in flight: the cluster is stopping. */
    public void stopped() {
        pending.failEverything(() -> new NodeNotReachableException(runtime.self(), "the cluster on this node stopped"));
    }

    /** @return the layer's counters */
    public RemoteCounters counters() {
        return counters;
    }

    /** @return requests waiting for an answer */
    public int pendingRequests() {
        return pending.size();
    }
}
