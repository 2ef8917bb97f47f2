package io.noex.distribution;

/** The lifecycle of a node's cluster membership. */
public enum ClusterStatus {
    /** {@code Cluster.start} is binding and joining. */
    STARTING,
    /** Accepting connections and exchanging heartbeats. */
    RUNNING,
    /** {@code Cluster.stop} is telling peers and closing connections. */
    STOPPING,
    /** Not in a cluster (before the first start, or after a stop). */
    STOPPED
}
