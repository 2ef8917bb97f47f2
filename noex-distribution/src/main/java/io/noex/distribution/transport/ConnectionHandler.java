package io.noex.distribution.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The last handler of an established connection: hands each frame to the transport's listener
 * (copied to a heap array, which is what the codec reads) and reports the close.
 *
 * <p>Threading: event loop only.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {

    private final Transport transport;
    private final Connection connection;

    ConnectionHandler(Transport transport, Connection connection) {
        this.transport = transport;
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        byte[] bytes;
        try {
            bytes = ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
        }
        transport.frameReceived(connection, bytes);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            connection.wakeParked(); // the socket took bytes: senders parked by flow control look again
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        transport.closed(connection);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        transport.connectionFailed(connection, cause);
        ctx.close();
    }
}
