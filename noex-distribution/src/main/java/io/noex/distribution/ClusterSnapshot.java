package io.noex.distribution;

import java.time.Instant;
import java.util.List;

/**
 * Every member as it reported itself to a {@link ClusterObserver}.
 *
 * @param takenAt when the snapshot was taken (this node's wall clock)
 * @param nodes this node first, then every other known member
 */
public record ClusterSnapshot(Instant takenAt, List<NodeSnapshot> nodes) {

    /** @return the sum of the processes of the nodes that answered */
    public long totalProcesses() {
        return nodes.stream().mapToLong(NodeSnapshot::processes).sum();
    }
}
