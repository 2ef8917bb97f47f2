package io.noex.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.NodeId;
import io.noex.distribution.ClusterObserver;
import io.noex.distribution.ClusterSnapshot;
import io.noex.distribution.NodeSnapshot;
import io.noex.distribution.ObservedStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ClusterObserver's {@code timeout} and {@code error} statuses, with the faults that cause
 * them: a member whose link is frozen (connected, but silent) and a member whose connection is
 * reset while the observer waits for its answer. Three nodes in this JVM behind fault proxies;
 * heartbeats 1 s x 3, so a frozen link stays "connected" for 3 s.
 */
@Timeout(60)
class ClusterObserverFaultTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static LocalCluster proxied() {
        return LocalCluster.builder().names("a", "b", "c").behindFaultProxies().start();
    }

    private static NodeSnapshot of(ClusterSnapshot snap, NodeId id) {
        return snap.nodes().stream().filter(n -> n.nodeId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " missing from " + snap));
    }

    @Test
    void aConnectedMemberThatDoesNotAnswer_isReportedAsTimeout_withinTheTimeout_andTheOthersAnswer() {
        try (LocalCluster cluster = proxied()) {
            cluster.awaitFullMesh(WAIT);
            cluster.faults().freeze("c");
            long t0 = System.nanoTime();
            ClusterSnapshot snap = ClusterObserver.snapshot(cluster.node(0), Duration.ofMillis(500));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(cluster.membership(0).isNodeConnected(cluster.nodeId(2))).as("still connected").isTrue();
            NodeSnapshot c = of(snap, cluster.nodeId(2));
            assertThat(c.status()).isEqualTo(ObservedStatus.TIMEOUT);
            assertThat(c.error()).hasValueSatisfying(e -> assertThat(e).contains("500"));
            assertThat(c.processes()).isZero();
            assertThat(of(snap, cluster.nodeId(1)).status()).isEqualTo(ObservedStatus.CONNECTED);
            assertThat(of(snap, cluster.nodeId(1)).heapMaxBytes()).isPositive();
            assertThat(took).as("bounded by the timeout, not by the frozen node").isLessThan(Duration.ofSeconds(2));
            cluster.faults().resume("c");
        }
    }

    @Test
    void aMemberWhoseConnectionIsLostWhileAsked_isReportedAsError_atOnce() {
        try (LocalCluster cluster = proxied()) {
            cluster.awaitFullMesh(WAIT);
            cluster.faults().freeze("c");
            long t0 = System.nanoTime();
            CompletableFuture<ClusterSnapshot> asked = CompletableFuture.supplyAsync(
                    () -> ClusterObserver.snapshot(cluster.node(0), Duration.ofSeconds(10)));
            boolean pending = Poll.until(() -> cluster.membership(0).metrics().orElseThrow().pendingRequests() >= 1, WAIT);
            assertThat(pending).as("the request to c is waiting").isTrue();
            cluster.faults().dropConnections("c");
            ClusterSnapshot snap = asked.join();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            NodeSnapshot c = of(snap, cluster.nodeId(2));
            assertThat(c.status()).isIn(ObservedStatus.ERROR);
            assertThat(c.error()).isPresent();
            assertThat(of(snap, cluster.nodeId(1)).status()).isEqualTo(ObservedStatus.CONNECTED);
            assertThat(took).as("failed when the connection went, not at the 10 s timeout").isLessThan(Duration.ofSeconds(5));
            cluster.faults().heal();
            cluster.awaitFullMesh(WAIT);
            assertThat(ClusterObserver.snapshot(cluster.node(0), Duration.ofSeconds(5)).nodes())
                    .extracting(NodeSnapshot::status).containsOnly(ObservedStatus.CONNECTED);
        }
    }

    @Test
    void polling_followsAMemberGoingAndComingBack() {
        try (LocalCluster cluster = proxied()) {
            cluster.awaitFullMesh(WAIT);
            List<ClusterSnapshot> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            NodeId b = cluster.nodeId(1);
            try (io.noex.Subscription s = ClusterObserver.poll(cluster.node(0), Duration.ofMillis(50), seen::add)) {
                cluster.stop(1);
                assertThat(Poll.until(() -> !seen.isEmpty() && of(seen.getLast(), b).status() == ObservedStatus.DISCONNECTED,
                        WAIT)).isTrue();
                cluster.restart(1);
                assertThat(Poll.until(() -> of(seen.getLast(), b).status() == ObservedStatus.CONNECTED, WAIT)).isTrue();
            }
        }
    }
}
