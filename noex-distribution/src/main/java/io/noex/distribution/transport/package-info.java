/**
 * Layer 1, transport: TCP between nodes on Netty, length-prefixed frames, the handshake with
 * optional HMAC authentication, per-frame signatures, redials, write batching and flow control.
 * Knows frames and peers, not messages. See {@link io.noex.distribution.transport.Transport} for
 * the pipeline.
 */
package io.noex.distribution.transport;
