package io.noex.distribution.transport;

import io.noex.NoexException;

/**
 * A peer broke the protocol: the connection is closed with this reason, it is logged (at most
 * once per peer address per minute) and counted; the node and its other connections go on.
 */
public class ProtocolViolationException extends NoexException {

    /** What the peer did wrong; each has its own counter. */
    public enum Reason {
        /** A length prefix over the frame cap. */
        OVERSIZED_FRAME,
        /** A frame of length zero, or otherwise malformed framing. */
        MALFORMED_FRAME,
        /** Something other than the expected handshake message, or an undecodable one. */
        BAD_HANDSHAKE,
        /** A protocol version this node does not speak. */
        UNSUPPORTED_VERSION,
        /** A wrong cluster secret (failed proof), or one side has a secret and the other not. */
        AUTHENTICATION_FAILED,
        /** A NodeId other than the one dialed, or one already connected, or not matching the address. */
        IDENTITY_MISMATCH,
        /** A frame whose signature does not verify (forged, replayed or reordered). */
        BAD_SIGNATURE,
        /** No complete handshake within the handshake timeout. */
        HANDSHAKE_TIMEOUT,
        /** A second connection to a node already connected (duplicate dial). */
        DUPLICATE_CONNECTION,
        /**
         * The TLS handshake failed other than on this node's trust check: the peer does not speak
         * TLS (or this node does not and the peer does), refused this node's certificate, or
         * closed the connection during the TLS handshake.
         */
        TLS_FAILED,
        /**
         * The peer's certificate did not pass this node's check: no certificate, not signed by a
         * trusted CA, expired or not yet valid, or (with hostname verification) not naming the
         * dialed host.
         */
        UNTRUSTED_CERTIFICATE,
        /**
         * Refused on accept: too many connections from the same address, or in all, had not
         * finished their handshake (a connection flood).
         */
        PENDING_HANDSHAKE_LIMIT
    }

    private final Reason reason;

    /**
     * @param reason what the peer did wrong
     * @param message details
     */
    public ProtocolViolationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** @return what the peer did wrong */
    public Reason reason() {
        return reason;
    }
}
