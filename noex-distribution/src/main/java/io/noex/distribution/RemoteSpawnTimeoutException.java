package io.noex.distribution;

import io.noex.NodeId;
import io.noex.NoexException;
import java.time.Duration;

/** The target node did not answer a spawn request within the spawn timeout. */
public final class RemoteSpawnTimeoutException extends NoexException {

    private final NodeId nodeId;
    private final Duration timeout;

    /**
     * @param behaviorName the behavior
     * @param nodeId the target node
     * @param timeout the spawn timeout
     */
    public RemoteSpawnTimeoutException(String behaviorName, NodeId nodeId, Duration timeout) {
        super("spawning '" + behaviorName + "' on " + nodeId + " got no answer within " + timeout.toMillis() + " ms");
        this.nodeId = nodeId;
        this.timeout = timeout;
    }

    /** @return the target node */
    public NodeId nodeId() {
        return nodeId;
    }

    /** @return the spawn timeout */
    public Duration timeout() {
        return timeout;
    }
}
