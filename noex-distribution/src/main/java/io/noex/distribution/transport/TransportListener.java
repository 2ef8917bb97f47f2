package io.noex.distribution.transport;

/**
 * What the transport tells the layer above. All three run on the connection's event loop: they
 * must be quick and must not block or run user code.
 */
public interface TransportListener {

    /** @param connection a connection that completed its handshake and may carry frames */
    void onConnected(Connection connection);

    /**
     * @param connection where the frame came from
     * @param frame the frame's payload (verified, when the cluster is secured)
     */
    void onFrame(Connection connection, byte[] frame);

    /**
     * A connection that was reported by {@link #onConnected} closed. With a restarting peer the
     * new connection may be reported before the old one's close: compare incarnations.
     *
     * @param connection the connection that closed
     */
    void onDisconnected(Connection connection);
}
