package io.noex.distribution;

import io.noex.NodeId;
import io.noex.NoexException;

/** The spawned process's {@code init} threw or did not finish within the init timeout on its node. */
public final class RemoteSpawnInitException extends NoexException {

    private final String behaviorName;
    private final NodeId nodeId;
    private final boolean timedOut;

    /**
     * @param behaviorName the behavior
     * @param nodeId the target node
     * @param message what the target reported
     * @param timedOut whether init timed out (rather than threw)
     * @param cause the remote exception, if init threw
     */
    public RemoteSpawnInitException(String behaviorName, NodeId nodeId, String message, boolean timedOut, Throwable cause) {
        super("init of '" + behaviorName + "' on " + nodeId + " failed: " + message, cause);
        this.behaviorName = behaviorName;
        this.nodeId = nodeId;
        this.timedOut = timedOut;
    }

    /** @return the behavior */
    public String behaviorName() {
        return behaviorName;
    }

    /** @return the target node */
    public NodeId nodeId() {
        return nodeId;
    }

    /** @return true if init timed out, false if it threw */
    public boolean timedOut() {
        return timedOut;
    }
}
