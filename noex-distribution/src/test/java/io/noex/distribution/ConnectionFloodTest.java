package io.noex.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.StartOptions;
import io.noex.distribution.RemoteCallTest.Echo;
import io.noex.distribution.RemoteCallTest.Server;
import io.noex.distribution.transport.TransportCounters;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node under a flood of 1,000 connections that never handshake keeps serving its members: the
 * pending-handshake limit refuses most of them on accept, the handshake timeout closes the rest,
 * every one is counted, the log gets one line per reason, and calls between the real members go
 * on, with their latency measured before, during and after the flood ({@code NOEX-MEASURE} lines).
 */
@Timeout(180)
class ConnectionFloodTest {

    private static final int FLOOD = 1_000;
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);

    private final ClusterNodes cluster = new ClusterNodes(RemoteCallTest::registerTypes);
    private final LogCapture log = new LogCapture("io.noex.distribution.transport.Transport");

    @AfterEach
    void stop() {
        log.close();
        cluster.close();
    }

    /** Opens {@code count} connections that never send a byte, and waits until the node has closed every one. */
    private static final class Flood implements Runnable {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closedByNode = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile long lastOpenedNanos;
        private final InetSocketAddress target;
        private final long deadlineNanos;

        Flood(InetSocketAddress target, Duration limit) {
            this.target = target;
            this.deadlineNanos = System.nanoTime() + limit.toNanos();
        }

        @Override
        public void run() {
            List<SocketChannel> channels = new ArrayList<>();
            try (Selector selector = Selector.open()) {
                for (int i = 0; i < FLOOD; i++) {
                    SocketChannel ch = SocketChannel.open();
                    channels.add(ch);
                    ch.configureBlocking(false);
                    ch.connect(target);
                    ch.register(selector, SelectionKey.OP_CONNECT);
                    opened.incrementAndGet();
                    selector.selectNow();
                    handle(selector);
                }
                lastOpenedNanos = System.nanoTime();
                while (closedByNode.get() < FLOOD && System.nanoTime() < deadlineNanos) {
                    selector.select(100);
                    handle(selector);
                }
            } catch (IOException | RuntimeException e) {
                failure.set(e);
            } finally {
                for (SocketChannel ch : channels) {
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                }
            }
        }

        /** Completes connects; reads and drops whatever the node sends (its hello); counts its closes. */
        private void handle(Selector selector) throws IOException {
            ByteBuffer sink = ByteBuffer.allocate(4096);
            for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey key = it.next();
                it.remove();
                SocketChannel ch = (SocketChannel) key.channel();
                try {
                    if (key.isConnectable()) {
                        ch.finishConnect();
                        key.interestOps(SelectionKey.OP_READ);
                    } else if (key.isReadable()) {
                        sink.clear();
                        if (ch.read(sink) < 0) {
                            closedByNode.incrementAndGet();
                            key.cancel();
                            ch.close();
                        }
                    }
                } catch (IOException e) { // reset by the node: closed too
                    closedByNode.incrementAndGet();
                    key.cancel();
                    ch.close();
                }
            }
        }
    }

    private static long[] measureCalls(Node from, GenServerRef to, int n) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            assertThat((Object) from.call(to, new Echo(i))).isEqualTo(i);
            nanos[i] = System.nanoTime() - t0;
        }
        return nanos;
    }

    private static double percentileMicros(long[] nanos, double p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1_000.0;
    }

    /** Direct memory held by Netty's default allocator (which the transport's channels use). */
    private static long directMemory() {
        return ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p ? p.metric().usedDirectMemory() : -1;
    }

    private static String load() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    @Test
    void aThousandConnectionsThatNeverHandshake_doNotStopTheNodeServingItsMembers() throws Exception {
        Node a = cluster.start("a", b -> b.clusterSecret("s").handshakeTimeout(HANDSHAKE_TIMEOUT));
        Node b = cluster.start("b", c -> c.clusterSecret("s").handshakeTimeout(HANDSHAKE_TIMEOUT), a);
        ClusterNodes.awaitMesh(a, b);
        GenServerRef server = a.start(new Server(), StartOptions.builder().name("server").build());
        TransportCounters counters = ClusterMembership.of(a).runtime().orElseThrow().transportCounters();
        ClusterMetrics start = ClusterMembership.of(a).metrics().orElseThrow();
        measureCalls(b, server, 10_000); // warm-up, so that "before" is not measured on colder code than "during"
        long[] before = measureCalls(b, server, 2_000);
        long directBefore = directMemory();
        int logLinesBefore = log.lines().size();

        Flood flood = new Flood(new InetSocketAddress("127.0.0.1", a.nodeId().port()), HANDSHAKE_TIMEOUT.plusSeconds(60));
        Thread flooder = new Thread(flood, "flooder");
        long floodStart = System.nanoTime();
        flooder.start();
        List<Long> during = new ArrayList<>();
        int maxPending = 0;
        long maxDirect = directBefore;
        while (flooder.isAlive()) {
            long t0 = System.nanoTime();
            assertThat((Object) b.call(server, new Echo("during"))).isEqualTo("during");
            during.add(System.nanoTime() - t0);
            maxPending = Math.max(maxPending, counters.pendingHandshakes());
            maxDirect = Math.max(maxDirect, directMemory());
        }
        flooder.join();
        long floodNanos = System.nanoTime() - floodStart;

        assertThat(flood.failure.get()).isNull();
        assertThat(flood.closedByNode.get()).as("the node closed every flood connection").isEqualTo(FLOOD);
        assertThat(Duration.ofNanos(System.nanoTime() - flood.lastOpenedNanos))
                .as("the last ones at the handshake timeout").isLessThan(HANDSHAKE_TIMEOUT.plusSeconds(30));
        ClusterMetrics end = ClusterMembership.of(a).metrics().orElseThrow();
        long refused = end.rejectedConnections().get("pending_handshake_limit") - start.rejectedConnections().get("pending_handshake_limit");
        long timedOut = end.rejectedConnections().get("handshake_timeout") - start.rejectedConnections().get("handshake_timeout");
        assertThat(refused + timedOut).as("every flood connection counted once").isEqualTo(FLOOD);
        assertThat(refused).isPositive();
        assertThat(maxPending).as("pending handshakes never above the per-address limit")
                .isLessThanOrEqualTo(ClusterConfig.builder().nodeName("x").build().maxPendingHandshakesPerAddress());
        assertThat(counters.pendingHandshakes()).isZero();
        long[] after = measureCalls(b, server, 2_000);
        assertThat(ClusterMembership.of(a).isNodeConnected(b.nodeId())).isTrue();
        assertThat(during).as("calls went on during the flood").hasSizeGreaterThan(10);
        List<String> floodLines = log.lines().subList(logLinesBefore, log.lines().size());
        assertThat(floodLines).as("one line per reason for the flooding address").hasSizeLessThanOrEqualTo(2);

        long[] duringNanos = during.stream().mapToLong(Long::longValue).toArray();
        System.out.printf(Locale.ROOT, "NOEX-MEASURE flood connections=%d refusedOnAccept=%d closedAtHandshakeTimeout=%d "
                        + "floodSeconds=%.1f maxPendingHandshakes=%d logLines=%d load=%s%n",
                FLOOD, refused, timedOut, floodNanos / 1e9, maxPending, floodLines.size(), load());
        System.out.printf(Locale.ROOT, "NOEX-MEASURE flood callLatencyMicros before p50=%.0f p99=%.0f (n=%d) during p50=%.0f p99=%.0f "
                        + "max=%.0f (n=%d) after p50=%.0f p99=%.0f (n=%d)%n",
                percentileMicros(before, 0.5), percentileMicros(before, 0.99), before.length,
                percentileMicros(duringNanos, 0.5), percentileMicros(duringNanos, 0.99), percentileMicros(duringNanos, 1.0),
                duringNanos.length, percentileMicros(after, 0.5), percentileMicros(after, 0.99), after.length);
        System.out.printf(Locale.ROOT, "NOEX-MEASURE flood nettyDirectMemoryMiB before=%.1f maxDuring=%.1f%n",
                directBefore / 1048576.0, maxDirect / 1048576.0);
        assertThat(percentileMicros(duringNanos, 0.99)).as("p99 call latency during the flood, µs").isLessThan(1_000_000.0);
    }
}
