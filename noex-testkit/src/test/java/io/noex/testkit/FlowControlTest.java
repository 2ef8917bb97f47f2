package io.noex.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.noex.CallResult;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.distribution.ClusterConfig;
import io.noex.distribution.ClusterMembership;
import io.noex.distribution.ClusterMetrics;
import io.noex.distribution.OutboundOverflow;
import io.noex.distribution.RemoteCall;
import io.noex.distribution.RemoteCallTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Flow control between nodes (issue 4, item 5): a sender floods casts at a receiver whose link the
 * fault proxy has frozen. The proxy buffers what it can (16 MiB), then stops reading, so TCP
 * backpressure reaches the sender as it would from a stalled node. The sender's memory stays
 * bounded, every cast not accepted is reported (false) and counted, and after the freeze every
 * accepted cast is handled once, in order.
 */
@Timeout(60)
class FlowControlTest {

    private static final long MARK = 1024 * 1024;
    private static final int PAD = 1000;
    /**
     * What the sender may hold besides the mark: the one cast that crossed it (1 KiB of padding, its
     * envelope, and the per-frame overhead the transport counts), plus heartbeats and gossip, which
     * bypass the mark by design and keep being queued while the link is frozen (two small frames
     * per half second).
     */
    private static final long SLACK = 2 * 1024 + 16 * 1024;

    /** Records the sequence number of each cast it handles; a call returns how many it handled. */
    public static final class Recorder implements GenServerBehavior<Integer> {
        private final ConcurrentLinkedQueue<Integer> seen;

        Recorder(ConcurrentLinkedQueue<Integer> seen) {
            this.seen = seen;
        }

        @Override
        public Integer init(List<Object> args) {
            return 0;
        }

        @Override
        public CallResult<Integer> handleCall(Object msg, Integer count) {
            return CallResult.reply(count, count);
        }

        @Override
        public Integer handleCast(Object msg, Integer count) {
            seen.add((Integer) ((List<?>) msg).get(0));
            return count + 1;
        }
    }

    private static LocalCluster start(Consumer<ClusterConfig.Builder> tune) {
        LocalCluster cluster = LocalCluster.builder().names("sender", "receiver")
                // 20 s without a frame before a node is down: the freezes here must not look like a death
                .heartbeatInterval(Duration.ofMillis(500)).heartbeatMissThreshold(40)
                .behindFaultProxies()
                .configure(b -> tune.accept(b.outboundHighWaterMark(MARK)))
                .start();
        cluster.awaitFullMesh(Duration.ofSeconds(15));
        return cluster;
    }

    private static Object cast(int seq) {
        return List.of(seq, new byte[PAD]);
    }

    private static ClusterMetrics metrics(Node node) {
        return ClusterMembership.of(node).metrics().orElseThrow();
    }

    /** After the freeze: exactly {@code accepted} were handled, in order, and nothing else. */
    private static void assertHandledExactly(Node sender, GenServerRef recorder, ConcurrentLinkedQueue<Integer> seen,
                                             List<Integer> accepted) {
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= accepted.size());
        // A call from the same sender arrives after every cast it sent before: the count is final.
        assertThat((Integer) sender.call(recorder, "count", Duration.ofSeconds(30))).isEqualTo(accepted.size());
        assertThat(new ArrayList<>(seen)).isEqualTo(accepted);
    }

    @Test
    void refuse_aFloodAtAFrozenReceiver_isBoundedReportedAndCounted_andEveryAcceptedCastArrivesInOrder() {
        try (LocalCluster cluster = start(b -> { })) {
            Node sender = cluster.node(0);
            ConcurrentLinkedQueue<Integer> seen = new ConcurrentLinkedQueue<>();
            GenServerRef recorder = cluster.node(1).start(new Recorder(seen));
            ClusterMetrics before = metrics(sender);

            cluster.faults().freeze("receiver");
            List<Integer> accepted = new ArrayList<>();
            int refused = 0;
            long maxQueued = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            for (int seq = 0; refused < 500; seq++) {
                assertThat(System.nanoTime()).as("the sender met the mark within 40 s").isLessThan(deadline);
                if (RemoteCall.cast(sender, recorder, cast(seq))) {
                    accepted.add(seq);
                } else {
                    refused++;
                }
                maxQueued = Math.max(maxQueued, metrics(sender).queuedOutboundBytes());
            }
            ClusterMetrics after = metrics(sender);
            System.out.println("NOEX-MEASURE flow-control refuse: accepted " + accepted.size() + " casts before the mark, "
                    + "refused " + refused + ", max queued " + maxQueued + " bytes (mark " + MARK + ")");
            assertThat(maxQueued).as("bytes the sender held for the frozen receiver")
                    .isGreaterThan(MARK / 2).isLessThanOrEqualTo(MARK + SLACK);
            assertThat(after.refusedSends() - before.refusedSends()).isEqualTo(refused);
            assertThat(after.droppedCasts() - before.droppedCasts()).isEqualTo(refused);

            // A call meanwhile waits for room until its own timeout, no longer.
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> sender.call(recorder, "count", Duration.ofMillis(300)))
                    .isInstanceOf(RemoteCallTimeoutException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(300L, 3_000L);

            cluster.faults().resume("receiver");
            assertHandledExactly(sender, recorder, seen, accepted);
        }
    }

    /**
     * Waits until {@code flooder} is parked by flow control (its blocker is the connection) and has
     * sent nothing for 500 ms: the proxy and the kernel take bytes for a while after the freeze,
     * releasing the sender several times first.
     */
    private static int awaitParkedForGood(Thread flooder, AtomicInteger sent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        int last = sent.get();
        long stillSince = System.nanoTime();
        while (true) {
            int now = sent.get();
            Object blocker = LockSupport.getBlocker(flooder);
            if (now != last || blocker == null || !blocker.getClass().getSimpleName().equals("Connection")) {
                last = now;
                stillSince = System.nanoTime();
            } else if (System.nanoTime() - stillSince >= TimeUnit.MILLISECONDS.toNanos(500)) {
                return now;
            }
            assertThat(System.nanoTime()).as("the sender was parked for good within 40 s").isLessThan(deadline);
            Thread.sleep(20); // polling a condition
        }
    }

    @Test
    void block_theSenderWaitsWhileTheReceiverIsFrozen_andGoesOnAfterResume_losingNothing() throws Exception {
        try (LocalCluster cluster = start(b -> b.outboundOverflow(OutboundOverflow.BLOCK).outboundBlockTimeout(Duration.ofSeconds(30)))) {
            Node sender = cluster.node(0);
            ConcurrentLinkedQueue<Integer> seen = new ConcurrentLinkedQueue<>();
            GenServerRef recorder = cluster.node(1).start(new Recorder(seen));
            ClusterMetrics before = metrics(sender);

            cluster.faults().freeze("receiver");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger sent = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            CompletableFuture<Void> done = new CompletableFuture<>();
            Thread flooder = Thread.ofPlatform().name("flooder").start(() -> {
                try {
                    for (int seq = 0; !stop.get(); seq++) {
                        if (RemoteCall.cast(sender, recorder, cast(seq))) {
                            sent.incrementAndGet();
                        } else {
                            refused.incrementAndGet();
                        }
                    }
                    done.complete(null);
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            });
            int parkedAt = awaitParkedForGood(flooder, sent);
            long queued = metrics(sender).queuedOutboundBytes();
            System.out.println("NOEX-MEASURE flow-control block: sender parked after " + parkedAt + " casts, queued "
                    + queued + " bytes (mark " + MARK + ")");
            assertThat(queued).isGreaterThan(MARK / 2).isLessThanOrEqualTo(MARK + SLACK);

            stop.set(true);
            cluster.faults().resume("receiver");
            done.get(30, TimeUnit.SECONDS);
            assertThat(refused.get()).isZero();
            assertThat(sent.get()).isGreaterThan(parkedAt); // the parked cast went through after the resume
            assertThat(metrics(sender).refusedSends()).isEqualTo(before.refusedSends());
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < sent.get(); i++) {
                all.add(i);
            }
            assertHandledExactly(sender, recorder, seen, all);
        }
    }

    @Test
    void block_whenTheFreezeOutlastsTheBlockTimeout_theCastIsRefusedAndCounted() {
        try (LocalCluster cluster = start(b -> b.outboundOverflow(OutboundOverflow.BLOCK).outboundBlockTimeout(Duration.ofMillis(500)))) {
            Node sender = cluster.node(0);
            ConcurrentLinkedQueue<Integer> seen = new ConcurrentLinkedQueue<>();
            GenServerRef recorder = cluster.node(1).start(new Recorder(seen));
            ClusterMetrics before = metrics(sender);

            cluster.faults().freeze("receiver");
            List<Integer> accepted = new ArrayList<>();
            long refusedAfterNanos = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            for (int seq = 0; refusedAfterNanos < 0; seq++) {
                assertThat(System.nanoTime()).as("the sender met the mark within 40 s").isLessThan(deadline);
                long t0 = System.nanoTime();
                if (RemoteCall.cast(sender, recorder, cast(seq))) {
                    accepted.add(seq);
                } else {
                    refusedAfterNanos = System.nanoTime() - t0;
                }
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(refusedAfterNanos)).as("how long the refused cast waited")
                    .isBetween(500L, 5_000L);
            ClusterMetrics after = metrics(sender);
            assertThat(after.refusedSends() - before.refusedSends()).isEqualTo(1);
            assertThat(after.droppedCasts() - before.droppedCasts()).isEqualTo(1);
            assertThat(after.queuedOutboundBytes()).isLessThanOrEqualTo(MARK + SLACK);

            cluster.faults().resume("receiver");
            assertHandledExactly(sender, recorder, seen, accepted);
        }
    }
}
