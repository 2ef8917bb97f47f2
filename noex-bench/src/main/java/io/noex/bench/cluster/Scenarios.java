package io.noex.bench.cluster;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.distribution.ClusterMembership;
import io.noex.distribution.ClusterMetrics;
import io.noex.distribution.RemoteCall;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The measurements, each run from the driver JVM against the server JVM's {@link BenchMessages.Sink}
 * (or its socket echo server). One instance per driver; the methods run one at a time.
 *
 * <p>Threading: called from the driver's main thread; futures of {@code callAsync} complete on the
 * driver's event loop; the cast flood adds one sender thread.
 */
final class Scenarios {

    /** Generous: a call never times out in a healthy run, even behind a full cast backlog. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Node node;
    private final GenServerRef sink;
    private final int socketPort;

    Scenarios(Node node, GenServerRef sink, int socketPort) {
        this.node = node;
        this.sink = sink;
        this.socketPort = socketPort;
    }

    /** The sequential round trip, with the frame sizes seen on the wire while it ran. */
    record RoundTrip(Latencies latencies, long requestFrameBytes, long replyFrameBytes) {
    }

    /** Cast throughput as the receiver counted it. */
    record CastRate(double perSecond, long accepted, long refused, long frameBytes) {
    }

    // ================================================================== (d) the floor

    /** Plain blocking-socket ping-pong of {@code size} bytes each way. */
    Latencies socketRoundTrip(int size, int warmup, int calls) throws IOException {
        return socketRoundTrip(size, warmup, calls, () -> { }, () -> { });
    }

    /**
     * As {@link #socketRoundTrip(int, int, int)}, with hooks around the measured calls that run
     * while the connection (and the server's thread serving it) is alive.
     */
    Latencies socketRoundTrip(int size, int warmup, int calls, Runnable before, Runnable after) throws IOException {
        try (SocketPingPong.Client c = new SocketPingPong.Client(socketPort, size)) {
            for (int i = 0; i < warmup; i++) {
                c.roundTrip();
            }
            long[] t = new long[calls];
            before.run();
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                c.roundTrip();
                t[i] = System.nanoTime() - t0;
            }
            after.run();
            return Latencies.of(t);
        }
    }

    // ================================================================== (a) sequential calls

    /**
     * One caller (this thread, a platform thread) calls the sink with a payload of {@code size}
     * bytes, which echoes it; each call waits for its reply before the next is sent.
     */
    RoundTrip sequentialCalls(int size, int warmup, int calls) {
        BenchMessages.Payload msg = new BenchMessages.Payload(new byte[size]);
        for (int i = 0; i < warmup; i++) {
            node.call(sink, msg, TIMEOUT);
        }
        ClusterMetrics before = metrics();
        long[] t = new long[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            node.call(sink, msg, TIMEOUT);
            t[i] = System.nanoTime() - t0;
        }
        ClusterMetrics after = metrics();
        // Heartbeats and gossip (about one frame a second each way) are in the counts too: noise.
        long req = (after.bytesOut() - before.bytesOut()) / Math.max(1, after.framesOut() - before.framesOut());
        long rep = (after.bytesIn() - before.bytesIn()) / Math.max(1, after.framesIn() - before.framesIn());
        return new RoundTrip(Latencies.of(t), req, rep);
    }

    // ================================================================== (b) 64 outstanding calls

    /**
     * Keeps {@code window} calls in flight from one thread: {@code callAsync}, with a semaphore of
     * {@code window} permits taken before each call and released when its future completes (on the
     * driver's event loop). Counts completed calls over {@code measure} after {@code warmup}.
     *
     * @return calls completed per second in the measured window
     */
    double windowedCalls(int size, int window, Duration warmup, Duration measure) throws InterruptedException {
        BenchMessages.Payload msg = new BenchMessages.Payload(new byte[size]);
        Semaphore permits = new Semaphore(window);
        LongAdder done = new LongAdder();
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        long doneAtStart = -1;
        long startedAt = 0;
        long now;
        while ((now = System.nanoTime()) < end) {
            if (doneAtStart < 0 && now >= measureFrom) {
                doneAtStart = done.sum();
                startedAt = now;
            }
            permits.acquire();
            node.callAsync(sink, msg, TIMEOUT).whenComplete((r, e) -> {
                if (e != null) {
                    failures.incrementAndGet();
                }
                done.increment();
                permits.release();
            });
        }
        long completed = done.sum() - doneAtStart;
        long elapsed = System.nanoTime() - startedAt;
        if (!permits.tryAcquire(window, TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("calls still outstanding " + TIMEOUT + " after the window closed");
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " windowed calls failed");
        }
        return completed * 1e9 / elapsed;
    }

    // ================================================================== (c) casts

    /**
     * One sender (this thread) casts payloads of {@code size} bytes in batches of {@code batch};
     * after each batch it sends a {@link BenchMessages.Count} call ({@code callAsync}), and it
     * keeps at most {@code depth} batches unanswered: before the next batch it waits for the
     * oldest answer. Within a batch it casts as fast as the connection accepts; a refused cast
     * (outbound queue over its high-water mark) is counted, and the sender parks 20 us before it
     * tries again.
     *
     * <p>The rate is the sink's: each Count answer carries the casts the sink has handled and its
     * own {@code System.nanoTime()}; the rate is the change between the first answer that arrives
     * after the warm-up and the first that arrives after the measured window. Then a last call
     * checks that every accepted cast was handled.
     *
     * <p>Why batches and not an unbounded flood: a sender that keeps the outbound queue at its
     * high-water mark starves the heartbeats (they are refused, or wait behind megabytes of
     * casts), and the receiver declares the sender down ({@code HEARTBEAT_TIMEOUT}) within
     * seconds; see {@link #castFlood}. The bounded backlog is what a well-behaved sender keeps.
     */
    CastRate casts(int size, int batch, int depth, Duration warmup, Duration measure) throws Exception {
        BenchMessages.Payload msg = new BenchMessages.Payload(new byte[size]);
        long base = count().get(0);
        ClusterMetrics before = metrics();
        long accepted = 0;
        long refused = 0;
        ArrayDeque<CompletableFuture<List<Long>>> unanswered = new ArrayDeque<>();
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        List<Long> first = null;
        List<Long> last = null;
        while (last == null) {
            for (int i = 0; i < batch; i++) {
                while (!RemoteCall.cast(node, sink, msg)) {
                    refused++;
                    LockSupport.parkNanos(20_000);
                }
            }
            accepted += batch;
            unanswered.add(node.callAsync(sink, new BenchMessages.Count(), TIMEOUT));
            if (unanswered.size() < depth) {
                continue;
            }
            List<Long> answer = unanswered.removeFirst().get();
            long now = System.nanoTime();
            if (first == null && now >= measureFrom) {
                first = answer;
            } else if (first != null && now >= end) {
                last = answer;
            }
        }
        for (CompletableFuture<List<Long>> f : unanswered) {
            f.get();
        }
        long handled = count().get(0) - base;
        if (handled != accepted) {
            throw new IllegalStateException("the sink handled " + handled + " casts of " + accepted + " accepted");
        }
        ClusterMetrics after = metrics();
        double rate = (last.get(0) - first.get(0)) * 1e9 / (last.get(1) - first.get(1));
        // One Count call per batch rides along: a rounding error on the cast frame's size.
        long frame = (after.bytesOut() - before.bytesOut()) / Math.max(1, after.framesOut() - before.framesOut());
        return new CastRate(rate, accepted, refused, frame);
    }

    /**
     * The unbounded flood, kept to reproduce a finding ({@code --cast-flood}): one thread casts
     * as fast as the connection accepts, backing off 20 us on each refusal, for {@code time}; then
     * the sink is asked for its count. Returns a line saying what happened (on this library
     * version: the receiver declares the sender down with {@code HEARTBEAT_TIMEOUT}).
     */
    String castFlood(int size, Duration time) throws InterruptedException {
        BenchMessages.Payload msg = new BenchMessages.Payload(new byte[size]);
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        Thread sender = Thread.ofPlatform().name("cast-flood").daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                if (RemoteCall.cast(node, sink, msg)) {
                    accepted.incrementAndGet();
                } else {
                    refused.incrementAndGet();
                    LockSupport.parkNanos(20_000);
                }
            }
        });
        long t0 = System.nanoTime();
        Thread.sleep(time);
        sender.interrupt();
        sender.join();
        double secs = (System.nanoTime() - t0) / 1e9;
        String sent = String.format("flood of %.0f s: %,d casts accepted, %,d refused", secs, accepted.get(), refused.get());
        try {
            long handled = count().get(0);
            return sent + String.format("; the sink has handled %,d casts in all", handled);
        } catch (RuntimeException e) {
            return sent + "; then the count call failed: " + e;
        }
    }

    private List<Long> count() {
        return node.call(sink, new BenchMessages.Count(), TIMEOUT);
    }

    private ClusterMetrics metrics() {
        return ClusterMembership.of(node).metrics().orElseThrow();
    }
}
