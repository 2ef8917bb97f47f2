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
 * ({@link HandshakeMessage#MAX_FRAME}), so a peer that has not authenticated can make the node
 * buffer at most that much; {@link #handshakeCompleted} raises it to the configured frame size.
 * Emits each frame's payload as a retained slice, one frame per call, so that a frame is judged
 * by the cap in force after the frames before it were handled (a large data frame may arrive in
 * the same read as the welcome). Once the channel is closed (a rejection), the rest of the read
 * is discarded unread.
 *
 * <p>Threading: event loop only.
 */
final class FrameDecoder extends ByteToMessageDecoder {

    static final int HEADER = 4;

    private final int maxFrameSize;
    private int cap;

    FrameDecoder(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
        this.cap = Math.min(HandshakeMessage.MAX_FRAME, maxFrameSize);
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
            in.skipBytes(in.readableBytes());
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
}
