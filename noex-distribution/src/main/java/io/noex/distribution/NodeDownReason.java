package io.noex.distribution;

/** Why a node is reported down. */
public enum NodeDownReason {
    /** No heartbeat arrived for {@code heartbeatInterval x heartbeatMissThreshold}: a frozen or partitioned node. */
    HEARTBEAT_TIMEOUT,
    /** Its connection closed (a crashed process is detected this way within milliseconds). */
    CONNECTION_CLOSED,
    /** Other members announced it, but it could not be reached from here before it was given up. */
    CONNECTION_REFUSED,
    /** It announced its own orderly shutdown ({@code Cluster.stop()}). */
    GRACEFUL_SHUTDOWN
}
