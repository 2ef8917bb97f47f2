package io.noex.distribution.cluster;

import io.noex.NodeId;

/**
 * One line of a gossip digest: a node the sender is connected to (or the sender itself), and its
 * incarnation. Only live members are gossiped, so gossip can introduce a node or a newer life of
 * it, but never declare one down.
 *
 * @param id the node
 * @param incarnation its incarnation as the sender knows it
 */
public record GossipEntry(NodeId id, long incarnation) {
}
