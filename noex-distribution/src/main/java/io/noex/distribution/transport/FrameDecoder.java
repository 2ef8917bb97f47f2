package io.noex.distribution.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into frames: a 4-byte big-endian unsigned length, then that many bytes.
 * A length over the cap fails at once, before anything is allocated for it, with a
 * {@link FrameTooLargeException} carrying the length and the cap; a zero length is malformed.
 * Emits each frame's payload as a retained slice.
 *
 * <p>Until the handshake is done the cap is {@link #HANDSHAKE_MAX_FRAME}, not the configured
 * maximum: handshake messages are a few hundred bytes, and a peer that has not authenticated must
 * not make the node buffer up to the full frame cap per connection (a flood of such connections
 * would otherwise cost {@code pending connections × maxFrameSize} of memory).
 *
 * <p>Threading: event loop only.
 */
final class FrameDecoder extends ByteToMessageDecoder {

    static final int HEADER = 4;
    /** The cap on frames before the handshake is done: the largest handshake message. */
    static final int HANDSHAKE_MAX_FRAME = HandshakeMessage.MAX_FRAME;

    private final int maxFrameSize;
    private final boolean plaintext;
    private int cap;
    private boolean handshaking = true;

    /**
     * @param maxFrameSize the cap once the handshake is done
     * @param plaintext true when no TLS runs under this decoder (a TLS record here means the peer
     *     uses TLS and this node does not)
     */
    FrameDecoder(int maxFrameSize, boolean plaintext) {
        this.maxFrameSize = maxFrameSize;
        this.plaintext = plaintext;
        this.cap = Math.min(HANDSHAKE_MAX_FRAME, maxFrameSize);
    }

    /** The peer authenticated: frames up to the configured maximum are accepted from now on. */
    void handshakeDone() {
        cap = maxFrameSize;
        handshaking = false;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= HEADER) {
            long length = in.getUnsignedInt(in.readerIndex());
            if (length > cap) {
                boolean tls = plaintext && looksLikeTlsRecord(in);
                in.skipBytes(in.readableBytes());
                if (tls) {
                    throw new ProtocolViolationException(ProtocolViolationException.Reason.TLS_FAILED,
                            "the peer speaks TLS, but this node does not use TLS");
                }
                throw new FrameTooLargeException(length, cap);
            }
            if (length == 0) {
                in.skipBytes(in.readableBytes());
                throw new ProtocolViolationException(ProtocolViolationException.Reason.MALFORMED_FRAME, "frame of length 0");
            }
            if (in.readableBytes() < HEADER + length) {
                return;
            }
            in.skipBytes(HEADER);
            out.add(in.readRetainedSlice((int) length));
            if (handshaking) {
                // One frame per call: Netty hands it on before calling again, so the handshake
                // can end (and raise the cap) before a data frame right behind it is measured.
                return;
            }
        }
    }

    /**
     * A TLS record header (content type 20 to 23: change cipher spec, alert, handshake, data;
     * major version 3) read as a length prefix is over 335 MB, so this is only ever asked on the
     * cold path of an oversized length. A TLS client opens with a handshake record; a TLS server
     * answers a plaintext hello with an alert.
     */
    private static boolean looksLikeTlsRecord(ByteBuf in) {
        int i = in.readerIndex();
        int type = in.getUnsignedByte(i);
        return type >= 0x14 && type <= 0x17 && in.getUnsignedByte(i + 1) == 0x03 && in.getUnsignedByte(i + 2) <= 0x04;
    }
}
