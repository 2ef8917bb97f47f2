package io.noex.distribution;

/**
 * The sizes of one node's global-registry tables ({@link GlobalNames#stats()}), for metrics and
 * leak checks: with no names registered and the tombstone retention past, every count but
 * {@code ignoredEntries} is back to zero.
 *
 * @param names names in this node's replica
 * @param tombstones removals remembered against stale copies still on their way; each expires
 *     after the cluster's {@code downNodeRetention}
 * @param processMonitors monitors this node holds on its own globally named processes (one per
 *     name), to release a name when its process exits
 * @param ignoredEntries entries from peers ignored since the cluster started on this node: their
 *     process's node is down here, or the sender's life that sent them had ended
 * @param waiting registrations that lost a conflict here and wait behind the name's holder until
 *     their own node removes them (it tells the loser, then every replica), or is lost; the best
 *     of them takes the name if the holder goes first
 */
public record GlobalRegistryStats(int names, int tombstones, int processMonitors, long ignoredEntries, int waiting) {
}
