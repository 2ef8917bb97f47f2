package io.noex.distribution.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 constructions of the handshake and of frame signing, in one place:
 * <ul>
 *   <li>proof of the secret: {@code HMAC(secret, "noex-proof" | peerNonce | myId | peerId)} — the
 *       peer's fresh nonce makes an old proof worthless on a new connection;</li>
 *   <li>session key per direction: {@code HMAC(secret, "noex-key" | senderNonce | receiverNonce)},
 *       so a frame reflected back to its sender does not verify;</li>
 *   <li>frame signature: {@code HMAC(key, seq | payload)} with a per-direction sequence number
 *       counted by both ends (not sent), so a replayed, dropped or reordered frame does not
 *       verify.</li>
 * </ul>
 */
final class Crypto {

    static final int NONCE_BYTES = 16;
    static final int MAC_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private Crypto() {
    }

    static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    static byte[] proof(byte[] secret, byte[] peerNonce, String myId, String peerId) {
        Mac mac = mac(secret);
        mac.update("noex-proof".getBytes(StandardCharsets.UTF_8));
        mac.update(peerNonce);
        mac.update(lengthPrefixed(myId));
        mac.update(lengthPrefixed(peerId));
        return mac.doFinal();
    }

    static byte[] sessionKey(byte[] secret, byte[] senderNonce, byte[] receiverNonce) {
        Mac mac = mac(secret);
        mac.update("noex-key".getBytes(StandardCharsets.UTF_8));
        mac.update(senderNonce);
        mac.update(receiverNonce);
        return mac.doFinal();
    }

    static boolean constantTimeEquals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    static byte[] seqBytes(long seq) {
        return ByteBuffer.allocate(8).putLong(seq).array();
    }

    private static byte[] lengthPrefixed(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).array();
    }
}
