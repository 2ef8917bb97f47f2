package io.noex.distribution.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Flow control of one connection: a receiver that stops reading (its channel's auto-read turned
 * off, so TCP backpressure reaches the sender as it would from a stalled peer) against a sender
 * that refuses or parks at the high-water mark. Memory stays bounded, every refusal is reported
 * and counted, and what was accepted arrives once, in order, when the receiver reads again.
 */
@Timeout(60)
class ConnectionFlowControlTest {

    private static final long MARK = 256 * 1024;
    private static final int PAYLOAD = 1000;

    private final TransportHarness net = new TransportHarness();

    @AfterEach
    void close() {
        net.close();
    }

    /** A sender a, a receiver b, connected; b's end of the connection is returned frozen. */
    private record Pair(TransportHarness.Peer a, TransportHarness.Peer b, Connection out, Connection in) {
        void freeze() {
            in.channel().config().setAutoRead(false);
        }

        void thaw() {
            in.channel().config().setAutoRead(true);
        }
    }

    private Pair connect(Duration blockTimeout) {
        TransportConfig config = new TransportConfig("127.0.0.1", 0, Optional.empty(), 4 * 1024 * 1024,
                Duration.ofSeconds(2), Duration.ofSeconds(2), 1, MARK, Optional.empty(), Optional.empty(), blockTimeout);
        var a = net.start("a", 1, config);
        var b = net.start("b", 1, config);
        a.transport.connect(b.id);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                a.transport.connection(b.id).isPresent() && b.transport.connection(a.id).isPresent());
        return new Pair(a, b, a.transport.connection(b.id).orElseThrow(), b.transport.connection(a.id).orElseThrow());
    }

    /** A frame of {@link #PAYLOAD} bytes that starts with its sequence number. */
    private static byte[] frame(int seq) {
        byte[] f = new byte[PAYLOAD];
        Arrays.fill(f, (byte) '.');
        byte[] s = (seq + "|").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, f, 0, s.length);
        return f;
    }

    private static int seqOf(String received) {
        return Integer.parseInt(received.substring(received.indexOf(':') + 1, received.indexOf('|')));
    }

    /** The most a connection may hold: the mark plus the one frame that crossed it. */
    private static long bound() {
        return MARK + PAYLOAD + Connection.FRAME_OVERHEAD;
    }

    /** Waits for exactly {@code accepted}, in order, then for the end marker (nothing else between). */
    private static void assertReceivedExactly(TransportHarness.Peer b, List<Integer> accepted) throws InterruptedException {
        for (int expected : accepted) {
            assertThat(seqOf(b.nextFrame())).isEqualTo(expected);
        }
        assertThat(b.nextFrame()).isEqualTo("a:end");
    }

    private static void sendEnd(Pair p) {
        await().atMost(Duration.ofSeconds(10)).until(() -> p.out.send("end".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refuse_whenTheReceiverStalls_sendsAreRefusedAndCounted_memoryStaysBounded_andNothingAcceptedIsLost()
            throws Exception {
        Pair p = connect(Duration.ZERO);
        p.freeze();
        long refusedBefore = p.a.transport.counters().refusedSends();
        List<Integer> accepted = new ArrayList<>();
        int refused = 0;
        long maxQueued = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (int seq = 0; refused < 200; seq++) {
            assertThat(System.nanoTime()).as("the sender met the mark in 30 s").isLessThan(deadline);
            if (p.out.send(frame(seq))) {
                accepted.add(seq);
            } else {
                refused++;
            }
            maxQueued = Math.max(maxQueued, p.out.queuedBytes());
        }
        assertThat(maxQueued).as("bytes held for the peer").isGreaterThan(MARK / 2).isLessThanOrEqualTo(bound());
        assertThat(p.a.transport.counters().refusedSends() - refusedBefore).isEqualTo(refused);

        p.thaw();
        sendEnd(p);
        assertReceivedExactly(p.b, accepted);
    }

    @Test
    void block_parksTheSenderWhileTheReceiverStalls_andItGoesOnWhenItReadsAgain() throws Exception {
        Pair p = connect(Duration.ofSeconds(30));
        p.freeze();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread sender = Thread.ofPlatform().name("flooder").start(() -> {
            for (int seq = 0; !stop.get(); seq++) {
                if (p.out.send(frame(seq))) {
                    sent.incrementAndGet();
                } else {
                    refused.incrementAndGet();
                }
            }
            done.complete(null);
        });

        int parkedAt = awaitParkedForGood(sender, p.out, sent);
        assertThat(p.out.queuedBytes()).isLessThanOrEqualTo(bound());

        stop.set(true);
        p.thaw();
        done.get(20, TimeUnit.SECONDS);
        assertThat(refused.get()).isZero();
        assertThat(sent.get()).isGreaterThan(parkedAt); // the parked send went through
        assertThat(p.a.transport.counters().refusedSends()).isZero();
        sendEnd(p);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < sent.get(); i++) {
            all.add(i);
        }
        assertReceivedExactly(p.b, all);
    }

    /**
     * Waits until {@code sender} is parked by flow control and has sent nothing for 500 ms. The
     * kernel's socket buffers keep taking bytes for a while after the receiver stops reading (the
     * send buffer grows to a few MiB), so the sender is parked and released several times first.
     *
     * @return how many frames it had sent
     */
    private static int awaitParkedForGood(Thread sender, Connection out, AtomicInteger sent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int last = sent.get();
        long stillSince = System.nanoTime();
        while (true) {
            int now = sent.get();
            if (now != last || LockSupport.getBlocker(sender) != out) {
                last = now;
                stillSince = System.nanoTime();
            } else if (System.nanoTime() - stillSince >= TimeUnit.MILLISECONDS.toNanos(500)) {
                return now;
            }
            assertThat(System.nanoTime()).as("the sender was parked for good within 30 s").isLessThan(deadline);
            Thread.sleep(20); // polling a condition, not waiting for time to make a test pass
        }
    }

    @Test
    void block_whenTheStallOutlastsTheTimeout_theSendIsRefusedAndCounted() throws Exception {
        Pair p = connect(Duration.ofMillis(300));
        p.freeze();
        List<Integer> accepted = new ArrayList<>();
        long refusedAfterNanos = -1;
        for (int seq = 0; refusedAfterNanos < 0; seq++) {
            long t0 = System.nanoTime();
            if (p.out.send(frame(seq))) {
                accepted.add(seq);
            } else {
                refusedAfterNanos = System.nanoTime() - t0;
            }
            assertThat(accepted.size()).as("the sender met the mark").isLessThan(200_000);
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(refusedAfterNanos)).isBetween(300L, 5_000L);
        assertThat(p.a.transport.counters().refusedSends()).isEqualTo(1);
        assertThat(p.out.queuedBytes()).isLessThanOrEqualTo(bound());

        p.thaw();
        sendEnd(p);
        assertReceivedExactly(p.b, accepted);
    }

    @Test
    void onAnEventLoopThread_aSendAtTheMarkIsRefusedAtOnce_evenWhenSendsBlock() throws Exception {
        Pair p = connect(Duration.ofSeconds(30));
        p.freeze();
        long[] elapsed = new long[1];
        // On the event loop the queue cannot drain meanwhile: it fills to the mark, then one more send.
        int queued = p.out.channel().eventLoop().submit(() -> {
            int n = 0;
            while (p.out.send(frame(n), 0)) {
                n++;
            }
            long t0 = System.nanoTime();
            boolean ok = p.out.send(frame(-1));
            elapsed[0] = System.nanoTime() - t0;
            return ok ? -1 : n;
        }).get(10, TimeUnit.SECONDS);

        assertThat(queued).as("frames queued before the refusal (-1: the blocking send was accepted)")
                .isGreaterThan(100);
        assertThat(TimeUnit.NANOSECONDS.toMillis(elapsed[0])).isLessThan(1_000);
        assertThat(p.a.transport.counters().refusedSends()).isEqualTo(2); // the probe at the mark, then the send
    }

    @Test
    void aParkedSender_isReleasedAtOnceWhenTheConnectionCloses() throws Exception {
        Pair p = connect(Duration.ofSeconds(30));
        p.freeze();
        CompletableFuture<Boolean> lastSend = new CompletableFuture<>();
        Thread sender = Thread.ofPlatform().name("flooder").start(() -> {
            for (int seq = 0; ; seq++) {
                if (!p.out.send(frame(seq))) {
                    lastSend.complete(false);
                    return;
                }
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> LockSupport.getBlocker(sender) == p.out);

        long t0 = System.nanoTime();
        p.out.close();
        assertThat(lastSend.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2_000);
    }

    @Test
    void aFrameLargerThanTheMark_isAcceptedWhenNothingIsQueued() throws Exception {
        Pair p = connect(Duration.ZERO);
        byte[] big = new byte[(int) MARK * 2];
        Arrays.fill(big, (byte) 'x');
        assertThat(p.out.send(big)).isTrue();
        assertThat(p.b.nextFrame()).hasSize("a:".length() + big.length);
    }
}
