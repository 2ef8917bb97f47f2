package io.noex.distribution;

import io.noex.ExitReason;
import io.noex.GenServer;
import io.noex.GenServerRef;
import io.noex.Node;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Monitors a process on any node with a callback (the seed's form; {@link GenServer#monitor}
 * gives the process form, delivering {@link io.noex.Down} messages). The callback runs exactly
 * once, on its own virtual thread: with the process's real exit reason, {@code noproc} if it does
 * not exist, or {@code noconnection} when its node is lost or partitioned away (reported down by
 * the failure detector). {@link MonitorHandle#demonitor()} stops it.
 * {@snippet :
 * MonitorHandle h = RemoteMonitor.monitor(remoteRef, (ref, reason) -> restartElsewhere(ref, reason));
 * h.demonitor();
 * }
 *
 * <p>This form refuses what it cannot watch at once, with an exception: a malformed ref, or a
 * node this one is not connected to. The process form follows Erlang instead:
 * {@code GenServer.monitor} on a process of an unreachable node delivers a {@code noconnection}
 * {@code Down} at once. Neither ever waits on the network: a monitor request to a node that
 * stopped answering (frozen, partitioned, not yet reported down) fires {@code noconnection} when
 * the failure detector reports it down.
 *
 * <p>Threading: thread-safe; never blocks.
 */
public final class RemoteMonitor {

    private RemoteMonitor() {
    }

    /**
     * @param ref the process, on this node or a connected one, by id or registered name
     * @param onDown told the process and its exit reason, once
     * @return the monitor
     * @throws IllegalArgumentException if {@code ref} is malformed (an id starting with {@code <}
     *     that is not a process id, or a name over 255 characters)
     * @throws io.noex.NodeNotReachableException if {@code ref}'s node is another node that this
     *     one is not connected to (unknown, down, or this node runs no cluster); nothing was set up
     */
    public static MonitorHandle monitor(GenServerRef ref, BiConsumer<GenServerRef, ExitReason> onDown) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(onDown, "onDown");
        Node node = Node.current();
        RemoteRefs.checkWellFormed(ref, "ref");
        RemoteRefs.checkReachable(node, ref.nodeId(), "cannot monitor " + ref);
        return new MonitorHandle(node, node.monitor(ref, onDown));
    }

    /**
     * @return the current node's tables of monitors and links across nodes
     * @see #stats(Node)
     */
    public static RemoteSignalStats stats() {
        return stats(Node.current());
    }

    /**
     * The sizes of a clustered node's tables of remote monitors and links (both live in one
     * service), and its count of ignored signals.
     *
     * @param node a clustered node
     * @return its counts
     * @throws ClusterStateException if the node's cluster is not running
     */
    public static RemoteSignalStats stats(Node node) {
        ClusterMembership m = ClusterMembership.of(node);
        return m.signals().orElseThrow(() -> new ClusterStateException(m.status(),
                "remote monitor statistics need a running cluster on node " + node.nodeId())).stats();
    }
}
