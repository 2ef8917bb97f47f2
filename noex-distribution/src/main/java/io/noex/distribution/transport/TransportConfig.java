package io.noex.distribution.transport;

import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Optional;

/**
 * The transport's settings, derived by the cluster layer from the user's {@code ClusterConfig}.
 *
 * @param bindHost the address to listen on
 * @param port the port to listen on; 0 picks a free one
 * @param secret the cluster secret, if the cluster authenticates its members
 * @param maxFrameSize the largest frame accepted or sent, in bytes
 * @param handshakeTimeout how long a new connection may take to complete the handshake
 * @param connectTimeout how long a dial may take
 * @param ioThreads Netty event-loop threads
 * @param writeHighWaterMark outbound bytes per connection (queued or in Netty's buffer) at which
 *     sends are refused or wait
 * @param serverTls TLS for accepted connections, if enabled
 * @param clientTls TLS for dialed connections, if enabled
 * @param sendBlockTimeout how long {@link Connection#send(byte[])} waits for room at the mark
 *     before refusing; zero refuses at once
 */
public record TransportConfig(
        String bindHost,
        int port,
        Optional<byte[]> secret,
        int maxFrameSize,
        Duration handshakeTimeout,
        Duration connectTimeout,
        int ioThreads,
        long writeHighWaterMark,
        Optional<SslContext> serverTls,
        Optional<SslContext> clientTls,
        Duration sendBlockTimeout) {

    /**
     * Settings whose sends are refused at once at the mark (a zero {@code sendBlockTimeout}).
     *
     * @param bindHost the address to listen on
     * @param port the port to listen on; 0 picks a free one
     * @param secret the cluster secret, if any
     * @param maxFrameSize the largest frame accepted or sent, in bytes
     * @param handshakeTimeout how long a new connection may take to complete the handshake
     * @param connectTimeout how long a dial may take
     * @param ioThreads Netty event-loop threads
     * @param writeHighWaterMark outbound bytes per connection at which sends are refused
     * @param serverTls TLS for accepted connections, if enabled
     * @param clientTls TLS for dialed connections, if enabled
     */
    public TransportConfig(String bindHost, int port, Optional<byte[]> secret, int maxFrameSize,
                           Duration handshakeTimeout, Duration connectTimeout, int ioThreads, long writeHighWaterMark,
                           Optional<SslContext> serverTls, Optional<SslContext> clientTls) {
        this(bindHost, port, secret, maxFrameSize, handshakeTimeout, connectTimeout, ioThreads, writeHighWaterMark,
                serverTls, clientTls, Duration.ZERO);
    }
}
