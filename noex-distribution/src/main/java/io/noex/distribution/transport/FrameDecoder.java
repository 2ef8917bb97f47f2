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
 * <p>Threading: event loop only.
 */
final class FrameDecoder extends ByteToMessageDecoder {

    static final int HEADER = 4;

    private final int maxFrameSize;

    FrameDecoder(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= HEADER) {
            long length = in.getUnsignedInt(in.readerIndex());
            if (length > maxFrameSize) {
                in.skipBytes(in.readableBytes());
                throw new FrameTooLargeException(length, maxFrameSize);
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
}
