package io.noex.distribution;

import java.util.Map;

/**
 * A snapshot of a clustered node's network counters, for metrics (the Micrometer binder reads
 * these) and for tests. All counts are since the cluster started on this node.
 *
 * @param framesIn frames received
 * @param framesOut frames sent
 * @param bytesIn payload bytes received
 * @param bytesOut payload bytes sent
 * @param connectionsOpened connections that completed their handshake
 * @param connectionsClosed established connections that closed
 * @param dials connection attempts, first tries and redials
 * @param failedDials connection attempts that failed
 * @param refusedSends frames refused by flow control: the connection to their node was at its
 *     outbound high-water mark (with {@link OutboundOverflow#BLOCK}, still after the block timeout)
 * @param queuedOutboundBytes outbound bytes not yet written to the socket now, summed over every
 *     connection (a gauge, not a count)
 * @param rejectedConnections connections closed for a protocol violation, by kind (oversized
 *     frame, bad handshake, wrong version, failed authentication, identity mismatch, bad
 *     signature, handshake timeout, duplicate connection)
 * @param droppedFrames frames dropped above the transport (undecodable, unknown type, wrong sender)
 * @param callsServed calls from other nodes handed to local processes
 * @param callTimeouts calls from this node that timed out
 * @param droppedCasts casts and sends dropped (no connection, full queue, or no such process)
 * @param lateReplies replies that arrived after their caller gave up
 * @param undecodableRequests requests whose values this node could not decode
 * @param ignoredSignals monitor and link signals from peers that did not own them
 * @param pendingRequests requests from this node waiting for an answer now
 */
public record ClusterMetrics(
        long framesIn,
        long framesOut,
        long bytesIn,
        long bytesOut,
        long connectionsOpened,
        long connectionsClosed,
        long dials,
        long failedDials,
        long refusedSends,
        long queuedOutboundBytes,
        Map<String, Long> rejectedConnections,
        long droppedFrames,
        long callsServed,
        long callTimeouts,
        long droppedCasts,
        long lateReplies,
        long undecodableRequests,
        long ignoredSignals,
        int pendingRequests) {

    /**
     * Every key {@link #rejectedConnections()} can hold, whether or not the cluster runs (for
     * metrics that must exist from the start).
     */
    public static final java.util.List<String> REJECTION_REASONS = java.util.List.of("oversized_frame", "malformed_frame",
            "bad_handshake", "unsupported_version", "authentication_failed", "identity_mismatch", "bad_signature",
            "handshake_timeout", "duplicate_connection");

    /** @return the sum of {@link #rejectedConnections()} */
    public long totalRejectedConnections() {
        return rejectedConnections.values().stream().mapToLong(Long::longValue).sum();
    }
}
