package io.noex.distribution.transport;

import io.noex.NodeId;

/**
 * What a peer said about itself in its {@code hello}, once verified.
 *
 * @param nodeId its identity
 * @param incarnation grows each time a node with that identity starts
 * @param version its protocol version
 */
public record PeerHello(NodeId nodeId, long incarnation, int version) {
}
