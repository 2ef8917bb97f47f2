package io.noex.distribution;

import io.noex.GenServerRef;
import io.noex.Node;
import java.util.Objects;

/**
 * Links a local process to a process on another node, as Erlang links: an abnormal exit of
 * either kills the other unless it traps exits (then it receives an {@link io.noex.Exit}); a
 * {@code normal} exit does not; losing the other's node delivers {@code noconnection} (to a
 * process that traps exits, as an {@code Exit} message; otherwise it dies with that reason).
 *
 * <p>This form refuses what it cannot link at once, with an exception: a malformed ref, a
 * {@code local} that is not on this node, or a node this one is not connected to.
 * {@code Node.link} follows Erlang instead and delivers a {@code noconnection} exit signal at
 * once. A link to a process that does not exist delivers {@code noproc}. The table sizes are in
 * {@link RemoteMonitor#stats(Node)}.
 *
 * <p>Threading: thread-safe; never waits on the network.
 */
public final class RemoteLink {

    private RemoteLink() {
    }

    /**
     * @param local a process on this node
     * @param remote a process on this node or a connected one, by id or registered name
     * @return the link
     * @throws IllegalArgumentException if a ref is malformed or {@code local} is on another node
     * @throws io.noex.NodeNotReachableException if {@code remote}'s node is another node that this
     *     one is not connected to; nothing was set up
     * @throws io.noex.ServerNotRunningException if {@code local} is not running
     */
    public static LinkHandle link(GenServerRef local, GenServerRef remote) {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        Node node = Node.current();
        RemoteRefs.checkWellFormed(local, "local");
        RemoteRefs.checkWellFormed(remote, "remote");
        if (!node.isLocal(local.nodeId())) {
            throw new IllegalArgumentException("local " + local + " must be a process on this node, " + node.nodeId());
        }
        RemoteRefs.checkReachable(node, remote.nodeId(), "cannot link to " + remote);
        node.link(local, remote);
        return new LinkHandle(node, local, remote);
    }

    /**
     * @param local a process on this node
     * @param remote the process it is linked to
     */
    public static void unlink(GenServerRef local, GenServerRef remote) {
        Node.current().unlink(local, remote);
    }
}
