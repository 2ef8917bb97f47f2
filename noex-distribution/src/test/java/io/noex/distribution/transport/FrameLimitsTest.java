package io.noex.distribution.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.noex.distribution.AllocationMeter;
import io.noex.distribution.ProtocolVersion;
import io.noex.distribution.transport.ProtocolViolationException.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a length in a frame can make the node allocate. The frame decoder allocates only for bytes
 * that arrived (never for a length it was told), refuses a length over its cap before reading
 * the frame, and, until the handshake is done, its cap is the largest handshake message (1 KiB),
 * not the configured frame size: an unauthenticated peer can make the node hold at most 1 KiB
 * per connection, not 16 MiB. The handshake decoder rejects declared string and binary sizes
 * before allocating them.
 */
@Timeout(30)
class FrameLimitsTest {

    private static final int CAP = 16 * 1024 * 1024;

    /** Records the largest buffer asked for, and the total. */
    private static final class MeteredAllocator extends AbstractByteBufAllocator {
        final AtomicLong largest = new AtomicLong();
        final AtomicLong total = new AtomicLong();

        MeteredAllocator() {
            super(false);
        }

        private void count(int initialCapacity) {
            largest.accumulateAndGet(initialCapacity, Math::max);
            total.addAndGet(initialCapacity);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            count(initialCapacity);
            return UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            count(initialCapacity);
            return UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    private static EmbeddedChannel channel(FrameDecoder decoder, MeteredAllocator alloc) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(decoder);
        return ch;
    }

    private static ByteBuf header(long length) {
        return Unpooled.wrappedBuffer(ByteBuffer.allocate(4).putInt((int) length).array());
    }

    private static ProtocolViolationException violation(Throwable t) {
        return (ProtocolViolationException) Transport.unwrap(t);
    }

    @Test
    void beforeTheHandshake_aLengthOverOneKiB_isRefusedAtOnce_asOversized() {
        MeteredAllocator alloc = new MeteredAllocator();
        EmbeddedChannel ch = channel(new FrameDecoder(CAP), alloc);
        assertThatThrownBy(() -> ch.writeInbound(header(HandshakeMessage.MAX_FRAME + 1)))
                .isInstanceOf(DecoderException.class)
                .satisfies(t -> {
                    assertThat(violation(t).reason()).isEqualTo(Reason.OVERSIZED_FRAME);
                    assertThat(((FrameTooLargeException) violation(t)).cap()).isEqualTo(HandshakeMessage.MAX_FRAME);
                });
        assertThat(alloc.largest.get()).isLessThanOrEqualTo(64);
        ch.finishAndReleaseAll();
    }

    @Test
    void afterTheHandshake_aLengthUpToTheCap_isAccepted_andAllocationFollowsTheBytesThatArrive() {
        MeteredAllocator alloc = new MeteredAllocator();
        FrameDecoder decoder = new FrameDecoder(CAP);
        EmbeddedChannel ch = channel(decoder, alloc);
        decoder.handshakeCompleted();
        // The header claims the whole cap; only 64 KiB arrive, in 1 KiB pieces.
        assertThat(ch.writeInbound(header(CAP))).isFalse();
        for (int i = 0; i < 64; i++) {
            assertThat(ch.writeInbound(Unpooled.wrappedBuffer(new byte[1024]))).isFalse();
        }
        assertThat(ch.inboundMessages()).isEmpty();
        assertThat(alloc.largest.get()).as("largest buffer allocated").isLessThan(256 * 1024);
        ch.finishAndReleaseAll();
    }

    @Test
    void afterTheHandshake_aLengthOverTheCap_isRefusedAtOnce() {
        for (long length : new long[] {CAP + 1L, 0xffff_ffffL}) {
            MeteredAllocator alloc = new MeteredAllocator();
            FrameDecoder decoder = new FrameDecoder(CAP);
            EmbeddedChannel ch = channel(decoder, alloc);
            decoder.handshakeCompleted();
            assertThatThrownBy(() -> ch.writeInbound(header(length)))
                    .satisfies(t -> assertThat(violation(t).reason()).isEqualTo(Reason.OVERSIZED_FRAME));
            assertThat(alloc.largest.get()).isLessThanOrEqualTo(64);
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aZeroLength_isMalformed() {
        EmbeddedChannel ch = channel(new FrameDecoder(CAP), new MeteredAllocator());
        assertThatThrownBy(() -> ch.writeInbound(header(0)))
                .satisfies(t -> assertThat(violation(t).reason()).isEqualTo(Reason.MALFORMED_FRAME));
        ch.finishAndReleaseAll();
    }

    /**
     * A welcome and a data frame larger than 1 KiB in one read: the data frame must be judged by
     * the cap that holds once the welcome has been handled, so the decoder hands on one frame at
     * a time.
     */
    @Test
    void aLargeFrameRightBehindTheLastHandshakeFrame_inTheSameRead_isAccepted() {
        FrameDecoder decoder = new FrameDecoder(CAP);
        List<Integer> seen = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(decoder, new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                seen.add(b.readableBytes());
                b.release();
                decoder.handshakeCompleted(); // what the handshake handler does on welcome
            }
        });
        ByteBuf both = Unpooled.buffer();
        both.writeInt(10).writeBytes(new byte[10]).writeInt(100_000).writeBytes(new byte[100_000]);
        ch.writeInbound(both);
        assertThat(seen).containsExactly(10, 100_000);
        ch.finishAndReleaseAll();
    }

    @Test
    void handshakeMessagesClaimingHugeSizes_areRejectedWithoutAllocatingThem() {
        // hello: ["hello", version, nodeId as a str32 of 2 GB ...]
        ByteBuf hello = Unpooled.buffer();
        hello.writeByte(0x96).writeByte(0xa5).writeBytes("hello".getBytes()).writeByte(ProtocolVersion.CURRENT)
                .writeByte(0xdb).writeInt(0x7fff_fff0).writeBytes(new byte[20]);
        // proof: ["proof", bin32 of 2 GB]
        ByteBuf proof = Unpooled.buffer();
        proof.writeByte(0x92).writeByte(0xa5).writeBytes("proof".getBytes()).writeByte(0xc6).writeInt(0x7fff_fff0);
        // reject: ["reject", str32 of 2 GB]
        ByteBuf reject = Unpooled.buffer();
        reject.writeByte(0x92).writeByte(0xa6).writeBytes("reject".getBytes()).writeByte(0xdb).writeInt(0x7fff_fff0);
        // an array header claiming 2^32-1 fields
        ByteBuf many = Unpooled.buffer();
        many.writeByte(0xdd).writeInt(-1).writeByte(0xa5).writeBytes("hello".getBytes());
        for (ByteBuf frame : List.of(hello, proof, reject, many)) {
            assertThatThrownBy(() -> HandshakeMessage.decode(frame.duplicate()))
                    .isInstanceOfSatisfying(ProtocolViolationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_HANDSHAKE));
            long allocated = AllocationMeter.allocatedBy(() -> {
                try {
                    HandshakeMessage.decode(frame.duplicate());
                } catch (ProtocolViolationException expected) {
                    // asserted above
                }
            });
            assertThat(allocated).isLessThan(64 * 1024);
            frame.release();
        }
    }
}
