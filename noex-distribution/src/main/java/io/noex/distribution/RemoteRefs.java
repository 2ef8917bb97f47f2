package io.noex.distribution;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.NodeNotReachableException;
import io.noex.Registry;
import java.util.regex.Pattern;

/**
 * The checks {@link RemoteMonitor} and {@link RemoteLink} make before they set anything up, so
 * that a ref that cannot name a process, or a node that cannot be reached, fails at once with a
 * clear exception instead of a signal later.
 *
 * <p>Threading: stateless; any thread.
 */
final class RemoteRefs {

    /** A process id as the runtime assigns them: {@code <prefix.number>}. */
    private static final Pattern PROCESS_ID = Pattern.compile("<[^<>.@\\s]+\\.[0-9]+>");

    private RemoteRefs() {
    }

    /**
     * @param ref a ref from the caller
     * @param what the parameter's name, for the message
     * @throws IllegalArgumentException if its id is neither a process id nor a possible local name
     */
    static void checkWellFormed(GenServerRef ref, String what) {
        String id = ref.id();
        if (id.charAt(0) == '<') {
            if (!PROCESS_ID.matcher(id).matches()) {
                throw new IllegalArgumentException(what + " " + ref + " is malformed: an id starting with '<' must be"
                        + " a process id such as <k3f9.42>");
            }
        } else if (id.length() > Registry.MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(what + " " + ref + " is malformed: a registered name has at most "
                    + Registry.MAX_NAME_LENGTH + " characters, this id has " + id.length());
        }
    }

    /**
     * @param node the calling node
     * @param target the node the operation reaches
     * @param operation what was attempted, for the message
     * @throws NodeNotReachableException if {@code target} is another node this one is not connected
     *     to: it runs no cluster, the node is not a member, or the member is down
     */
    static void checkReachable(Node node, NodeId target, String operation) {
        if (node.isLocal(target)) {
            return;
        }
        ClusterMembership cluster = ClusterMembership.of(node);
        if (cluster.status() != ClusterStatus.RUNNING) {
            throw new NodeNotReachableException(target, operation + ": node " + node.nodeId() + " runs no cluster");
        }
        if (cluster.isNodeConnected(target)) {
            return;
        }
        throw new NodeNotReachableException(target, operation + ": " + (cluster.node(target).isPresent()
                ? "the node is a member but not connected (down or not yet up)"
                : "no such member in the cluster of " + node.nodeId()));
    }
}
