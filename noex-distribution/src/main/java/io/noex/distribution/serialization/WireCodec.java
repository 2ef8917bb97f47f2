package io.noex.distribution.serialization;

import io.noex.GenServerRef;
import io.noex.InvalidNodeIdException;
import io.noex.NodeId;
import io.noex.distribution.MessageSerializationException;
import io.noex.distribution.ProtocolVersion;
import java.io.IOException;
import java.util.function.UnaryOperator;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * Encodes and decodes envelopes: {@code [version, type, sender, timestamp]} followed by the
 * message's body values. Each layer writes its own body through {@link Body}; this class knows the
 * envelope, not the messages.
 *
 * <p>Threading: thread-safe (stateless but for the registry, which is thread-safe).
 */
public final class WireCodec {

    private static final MessagePack.PackerConfig PACKER = new MessagePack.PackerConfig().withBufferSize(512);
    private static final MessagePack.UnpackerConfig UNPACKER = new MessagePack.UnpackerConfig();

    /** Writes a message body. */
    @FunctionalInterface
    public interface Body {
        /**
         * @param out the packer, for the message's own fields
         * @param values for user values (with path-naming errors)
         * @throws IOException from the packer
         */
        void write(MessagePacker out, ValueWriter values) throws IOException;
    }

    /**
     * A decoded envelope, positioned at its body.
     *
     * @param version the sender's protocol version
     * @param typeCode the message type's code
     * @param type the message type, or null if this node does not know the code
     * @param sender the sending node, as it claims
     * @param timestamp the sender's wall clock, epoch millis
     * @param in the unpacker, positioned at the first body value
     * @param values reads user values from {@code in}
     */
    public record Decoded(int version, int typeCode, MessageType type, NodeId sender, long timestamp,
                          MessageUnpacker in, ValueReader values) {
    }

    private final TypeRegistry types;
    private final UnaryOperator<GenServerRef> canonicalRef;

    /**
     * @param types the registered records and enums
     * @param canonicalRef rewrites refs for the wire (see {@link ValueWriter})
     */
    public WireCodec(TypeRegistry types, UnaryOperator<GenServerRef> canonicalRef) {
        this.types = types;
        this.canonicalRef = canonicalRef;
    }

    /** @return the registered types this codec builds */
    public TypeRegistry types() {
        return types;
    }

    /**
     * @param type the message type
     * @param sender this node
     * @param timestamp this node's wall clock, epoch millis
     * @param body the body
     * @return the encoded envelope
     * @throws MessageSerializationException if a user value in the body cannot be sent
     */
    public byte[] encode(MessageType type, NodeId sender, long timestamp, Body body) {
        try (MessageBufferPacker out = PACKER.newBufferPacker()) {
            out.packArrayHeader(4);
            out.packInt(ProtocolVersion.CURRENT);
            out.packInt(type.code());
            out.packString(sender.toString());
            out.packLong(timestamp);
            body.write(out, new ValueWriter(types, canonicalRef, out));
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory packing failed", e);
        }
    }

    /**
     * @param frame an envelope from the network
     * @return the decoded header, positioned at the body
     * @throws MessageSerializationException if the header is malformed
     */
    public Decoded decode(byte[] frame) {
        MessageUnpacker in = UNPACKER.newUnpacker(frame);
        try {
            int fields = in.unpackArrayHeader();
            if (fields < 4) {
                throw new MessageSerializationException("envelope", "?", "envelope header has " + fields + " fields, expected 4");
            }
            int version = in.unpackInt();
            int code = in.unpackInt();
            String sender = in.unpackString();
            long timestamp = in.unpackLong();
            for (int i = 4; i < fields; i++) {
                in.skipValue(); // fields added by later versions
            }
            NodeId senderId;
            try {
                senderId = NodeId.parse(sender);
            } catch (InvalidNodeIdException e) {
                throw new MessageSerializationException("envelope.sender", "NodeId", e.getMessage());
            }
            return new Decoded(version, code, MessageType.ofCode(code), senderId, timestamp, in,
                    new ValueReader(types, in, frame.length));
        } catch (IOException | MessagePackException e) {
            throw new MessageSerializationException("envelope", "?", "undecodable envelope: " + e);
        }
    }
}
