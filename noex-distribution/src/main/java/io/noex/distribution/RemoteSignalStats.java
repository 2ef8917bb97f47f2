package io.noex.distribution;

/**
 * The sizes of one node's tables of monitors and links across nodes
 * ({@link RemoteMonitor#stats(io.noex.Node)}; {@link RemoteMonitor} and {@link RemoteLink} share one
 * service), for metrics and leak checks: once every remote monitor fired or was removed and every
 * cross-node link was unlinked or broken, the three table sizes are zero.
 *
 * @param monitorsHeld monitors this node's processes and callbacks hold on processes of other nodes
 * @param monitorsServed monitors other nodes hold on this node's processes
 * @param links links between a process of this node and a process of another node
 * @param ignoredSignals monitor and link signals from peers that did not own them (a
 *     {@code process_down} for a monitor this node never made on that peer, an {@code exit_signal}
 *     for a link it does not hold, a {@code demonitor} or {@code unlink} of nothing), ignored
 *     since the cluster started on this node; also in {@link ClusterMetrics#ignoredSignals()}
 */
public record RemoteSignalStats(int monitorsHeld, int monitorsServed, int links, long ignoredSignals) {
}
