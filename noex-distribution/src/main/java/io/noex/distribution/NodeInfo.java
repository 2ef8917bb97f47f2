package io.noex.distribution;

import io.noex.NodeId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A member of the cluster as this node sees it.
 *
 * @param id its NodeId
 * @param status connected or not
 * @param processCount its number of live processes, from its latest heartbeat (0 before one)
 * @param lastHeartbeatAt when its latest heartbeat arrived, on this node's clock
 * @param uptime how long it has been running, from its latest heartbeat
 * @param incarnation its incarnation (grows each time a node with this NodeId starts)
 */
public record NodeInfo(NodeId id, NodeStatus status, int processCount, Optional<Instant> lastHeartbeatAt,
                       Duration uptime, long incarnation) {

    /** @return the host peers dial */
    public String host() {
        return id.host();
    }

    /** @return the port peers dial */
    public int port() {
        return id.port();
    }

    /** @return true if connected */
    public boolean isConnected() {
        return status == NodeStatus.CONNECTED;
    }
}
