package io.noex.distribution.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import javax.crypto.Mac;

/**
 * Signs every outbound frame and verifies every inbound one, when the cluster has a secret: the
 * payload is followed by {@code HMAC-SHA256(sessionKey, seq | payload)}, where {@code seq} counts
 * the frames of that direction from zero on both ends. A frame that does not verify (forged,
 * replayed, reordered, or from another connection) closes the connection as
 * {@code BAD_SIGNATURE}; nothing after it is read.
 *
 * <p>Threading: event loop only; the {@link Mac} instances are confined to it.
 */
final class FrameAuthHandler extends ChannelDuplexHandler {

    private final Mac sendMac;
    private final Mac recvMac;
    private long sendSeq;
    private long recvSeq;
    private boolean failed;

    FrameAuthHandler(byte[] sendKey, byte[] recvKey) {
        this.sendMac = Crypto.mac(sendKey);
        this.recvMac = Crypto.mac(recvKey);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (failed) {
            frame.release(); // frames already decoded behind a bad one: nothing after it is read
            return;
        }
        int dataLength = frame.readableBytes() - Crypto.MAC_BYTES;
        if (dataLength < 0) {
            frame.release();
            failed = true;
            throw new ProtocolViolationException(ProtocolViolationException.Reason.BAD_SIGNATURE,
                    "frame of " + frame.readableBytes() + " bytes is too short to carry a signature");
        }
        recvMac.update(Crypto.seqBytes(recvSeq++));
        recvMac.update(frame.nioBuffer(frame.readerIndex(), dataLength));
        byte[] expected = recvMac.doFinal();
        byte[] actual = new byte[Crypto.MAC_BYTES];
        frame.getBytes(frame.readerIndex() + dataLength, actual);
        if (!Crypto.constantTimeEquals(expected, actual)) {
            frame.release();
            failed = true;
            throw new ProtocolViolationException(ProtocolViolationException.Reason.BAD_SIGNATURE,
                    "frame " + (recvSeq - 1) + " has a bad signature (forged, replayed or reordered)");
        }
        ctx.fireChannelRead(frame.retainedSlice(frame.readerIndex(), dataLength));
        frame.release();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf payload)) {
            ctx.write(msg, promise);
            return;
        }
        try {
            sendMac.update(Crypto.seqBytes(sendSeq++));
            sendMac.update(payload.nioBuffer());
            byte[] mac = sendMac.doFinal();
            CompositeByteBuf signed = ctx.alloc().compositeBuffer(2);
            signed.addComponents(true, payload, ctx.alloc().buffer(Crypto.MAC_BYTES).writeBytes(mac));
            ctx.write(signed, promise);
        } catch (RuntimeException e) {
            ReferenceCountUtil.release(payload);
            throw e;
        }
    }
}
