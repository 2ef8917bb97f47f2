package io.noex.distribution;

/**
 * The wire protocol's version history. Peers exchange their version in the handshake and refuse
 * versions they cannot speak; a feature added later is gated by a named constant here, so code
 * reads {@code if (peerVersion >= ProtocolVersion.SOME_FEATURE)}.
 *
 * <ul>
 *   <li><b>1</b> (noex 0.1): length-prefixed frames; {@code hello} handshake with NodeId,
 *       incarnation and nonce; optional HMAC-SHA256 challenge-response and per-frame HMAC with an
 *       implicit sequence number; MessagePack envelopes {@code [version, type, sender, timestamp,
 *       body...]}; the value encoding described in the serialization package.</li>
 * </ul>
 */
public final class ProtocolVersion {

    /** The version this build speaks. */
    public static final int CURRENT = 1;
    /** The oldest version this build accepts from a peer. */
    public static final int MIN_SUPPORTED = 1;

    private ProtocolVersion() {
    }

    /**
     * @param version a peer's version
     * @return whether this build can talk to it
     */
    public static boolean isSupported(int version) {
        return version >= MIN_SUPPORTED && version <= CURRENT;
    }
}
