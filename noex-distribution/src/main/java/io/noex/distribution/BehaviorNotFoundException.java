package io.noex.distribution;

import io.noex.NodeId;
import io.noex.NoexException;

/** No behavior is registered under that name on the target node ({@link BehaviorRegistry}). */
public final class BehaviorNotFoundException extends NoexException {

    private final String behaviorName;
    private final NodeId nodeId;

    /**
     * @param behaviorName the name asked for
     * @param nodeId the node that does not have it
     */
    public BehaviorNotFoundException(String behaviorName, NodeId nodeId) {
        super("no behavior named '" + behaviorName + "' is registered on " + nodeId
                + " (BehaviorRegistry.register on every node, before Cluster.start)");
        this.behaviorName = behaviorName;
        this.nodeId = nodeId;
    }

    /** @return the behavior name */
    public String behaviorName() {
        return behaviorName;
    }

    /** @return the node */
    public NodeId nodeId() {
        return nodeId;
    }
}
