package io.noex.distribution.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

/**
 * The four messages of the handshake and their MessagePack form (arrays tagged by a string):
 * <pre>
 *   ["hello", version, nodeId, incarnation, nonce(16 bytes), secured]
 *   ["proof", hmac(32 bytes)]
 *   ["welcome"]
 *   ["reject", reason]
 * </pre>
 */
sealed interface HandshakeMessage {

    record Hello(int version, String nodeId, long incarnation, byte[] nonce, boolean secured) implements HandshakeMessage {
    }

    record Proof(byte[] mac) implements HandshakeMessage {
    }

    record Welcome() implements HandshakeMessage {
    }

    record Reject(String reason) implements HandshakeMessage {
    }

    /** The largest handshake frame accepted: a hello with a 64-character name and a long host name. */
    int MAX_FRAME = 1024;

    static ByteBuf encode(HandshakeMessage m) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            switch (m) {
                case Hello h -> {
                    p.packArrayHeader(6).packString("hello").packInt(h.version()).packString(h.nodeId())
                            .packLong(h.incarnation()).packBinaryHeader(h.nonce().length);
                    p.addPayload(h.nonce());
                    p.packBoolean(h.secured());
                }
                case Proof pr -> {
                    p.packArrayHeader(2).packString("proof").packBinaryHeader(pr.mac().length);
                    p.addPayload(pr.mac());
                }
                case Welcome w -> p.packArrayHeader(1).packString("welcome");
                case Reject r -> p.packArrayHeader(2).packString("reject").packString(r.reason());
            }
            return Unpooled.wrappedBuffer(p.toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws ProtocolViolationException (BAD_HANDSHAKE) for anything but a well-formed message */
    static HandshakeMessage decode(ByteBuf frame) {
        if (frame.readableBytes() > MAX_FRAME) {
            throw bad("handshake frame of " + frame.readableBytes() + " bytes (at most " + MAX_FRAME + ")");
        }
        byte[] bytes = ByteBufUtil.getBytes(frame);
        try (MessageUnpacker u = new MessagePack.UnpackerConfig().withStringSizeLimit(MAX_FRAME).newUnpacker(bytes)) {
            int n = u.unpackArrayHeader();
            String tag = n < 1 ? "" : u.unpackString();
            HandshakeMessage m = switch (tag) {
                case "hello" -> n == 6
                        ? new Hello(u.unpackInt(), u.unpackString(), u.unpackLong(), nonce(u), u.unpackBoolean())
                        : null;
                case "proof" -> n == 2 ? new Proof(bin(u, Crypto.MAC_BYTES)) : null;
                case "welcome" -> n == 1 ? new Welcome() : null;
                case "reject" -> n == 2 ? new Reject(u.unpackString()) : null;
                default -> null;
            };
            if (m == null || u.hasNext()) {
                throw bad("not a handshake message (tag '" + tag + "', " + n + " fields)");
            }
            return m;
        } catch (IOException | MessagePackException | IllegalArgumentException e) {
            throw bad("undecodable handshake frame: " + e.getMessage());
        }
    }

    private static byte[] nonce(MessageUnpacker u) throws IOException {
        return bin(u, Crypto.NONCE_BYTES);
    }

    private static byte[] bin(MessageUnpacker u, int expected) throws IOException {
        int len = u.unpackBinaryHeader();
        if (len != expected) {
            throw bad("expected " + expected + " bytes, got " + len);
        }
        return u.readPayload(len);
    }

    private static ProtocolViolationException bad(String message) {
        return new ProtocolViolationException(ProtocolViolationException.Reason.BAD_HANDSHAKE, message);
    }
}
