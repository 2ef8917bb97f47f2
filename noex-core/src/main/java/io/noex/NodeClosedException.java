package io.noex;

/** The node was closed; it starts no processes and accepts no messages. */
public final class NodeClosedException extends NoexException {

    /** @param nodeId the closed node */
    public NodeClosedException(NodeId nodeId) {
        super("node " + nodeId + " is closed");
    }
}
