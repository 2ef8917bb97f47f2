package io.noex.distribution;

import io.noex.NodeId;
import java.time.Duration;
import java.util.Optional;

/**
 * One node in a {@link ClusterSnapshot}: its own figures when it answered, zeros otherwise.
 *
 * @param nodeId the node
 * @param status how it answered
 * @param processes its live processes
 * @param supervisors its supervisors (local and distributed)
 * @param messagesHandled messages its processes have handled
 * @param messagesDropped messages dropped because their target was gone
 * @param framesIn frames it received
 * @param framesOut frames it sent
 * @param heapUsedBytes its JVM's used heap
 * @param heapMaxBytes its JVM's maximum heap
 * @param uptime how long it has been in the cluster
 * @param error what went wrong, for {@link ObservedStatus#ERROR}
 */
public record NodeSnapshot(NodeId nodeId, ObservedStatus status, int processes, int supervisors, long messagesHandled,
                           long messagesDropped, long framesIn, long framesOut, long heapUsedBytes, long heapMaxBytes,
                           Duration uptime, Optional<String> error) {

    static NodeSnapshot absent(NodeId id, ObservedStatus status, String error) {
        return new NodeSnapshot(id, status, 0, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO, Optional.ofNullable(error));
    }
}
