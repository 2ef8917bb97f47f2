package io.noex.distribution;

import io.noex.GenServerRef;
import io.noex.Node;

/**
 * Links a local process to a process on another node, as Erlang links: an abnormal exit of
 * either kills the other unless it traps exits (then it receives an {@link io.noex.Exit}); a
 * {@code normal} exit does not; losing the other's node delivers {@code noconnection}.
 */
public final class RemoteLink {

    private RemoteLink() {
    }

    /**
     * @param local a process on this node
     * @param remote a process on any node
     * @return the link
     * @throws io.noex.ServerNotRunningException if {@code local} is not running
     */
    public static LinkHandle link(GenServerRef local, GenServerRef remote) {
        Node node = Node.current();
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
