package io.noex;

/**
 * The node a ref names is not connected: it is unknown, down, or went down while the operation
 * was pending (which then fails at once, not at its timeout). Also thrown for refs to other nodes
 * when this node runs no cluster.
 */
public class NodeNotReachableException extends NoexException {

    private final NodeId nodeId;

    /**
     * @param nodeId the unreachable node
     * @param detail why it is unreachable
     */
    public NodeNotReachableException(NodeId nodeId, String detail) {
        super("node " + nodeId + " is not reachable: " + detail);
        this.nodeId = nodeId;
    }

    /** @return the unreachable node */
    public NodeId nodeId() {
        return nodeId;
    }
}
