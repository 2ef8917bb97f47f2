package io.noex.distribution.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Prefixes each outbound frame (a {@link ByteBuf} payload) with its 4-byte length. Writes the
 * header and the payload as two buffers, so the payload is never copied.
 *
 * <p>Threading: event loop only.
 */
final class FrameEncoder extends ChannelOutboundHandlerAdapter {

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf payload) {
            ByteBuf header = ctx.alloc().buffer(FrameDecoder.HEADER).writeInt(payload.readableBytes());
            ctx.write(header, ctx.voidPromise());
            ctx.write(payload, promise);
        } else {
            ctx.write(msg, promise);
        }
    }
}
