package io.noex.distribution.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into frames: a 4-byte big-endian unsigned length, then that many bytes.
 * A length over the cap fails at once, before anything is allocated for it, with a
 * {@link FrameTooLargeException} carrying the length and the cap; a zero length is malformed.
 * Until the handshake completes the cap is the largest handshake message
 * ({@link #HANDSHAKE_MAX_FRAME}), so a peer that has not authenticated can make the node
 * buffer at most that much (a flood of such connections would otherwise cost
 * {@code pending connections × maxFrameSize}); {@link #handshakeCompleted} raises it to the
 * configured frame size. Emits each frame's payload as a retained slice, one frame per call, so
 * that a frame is judged by the cap in force after the frames before it were handled (a large
 * data frame may arrive in the same read as the welcome). Once the channel is closed (a
 * rejection), the rest of the read is discarded unread.
 *
 * <p>On a plaintext channel, an oversized length that is really a TLS record header means the
 * peer uses TLS and this node does not: that is reported as such ({@code TLS_FAILED}), not as an
 * oversized frame. The check runs only on that cold path.
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

    /**
     * @param maxFrameSize the cap once the handshake is done
     * @param plaintext true when no TLS runs under this decoder
     */
    FrameDecoder(int maxFrameSize, boolean plaintext) {
        this.maxFrameSize = maxFrameSize;
        this.plaintext = plaintext;
        this.cap = Math.min(HANDSHAKE_MAX_FRAME, maxFrameSize);
    }

    /** The peer is authenticated: from now on frames up to the configured size are accepted. */
    void handshakeCompleted() {
        cap = maxFrameSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!ctx.channel().isActive()) {
            // Closed over an earlier frame of this read: nothing after it is judged (or counted twice).
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < HEADER) {
            return;
        }
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
    }

    /**
     * A TLS record header (content type 20 to 23: change cipher spec, alert, handshake, data;
     * major version 3) read as a length prefix is over 335 MB. A TLS client opens with a
     * handshake record; a TLS server answers a plaintext hello with an alert.
     */
    private static boolean looksLikeTlsRecord(ByteBuf in) {
        int i = in.readerIndex();
        int type = in.getUnsignedByte(i);
        return type >= 0x14 && type <= 0x17 && in.getUnsignedByte(i + 1) == 0x03 && in.getUnsignedByte(i + 2) <= 0x04;
    }
}
