package io.noex.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.noex.NodeId;
import io.noex.distribution.ClusterStatus;
import io.noex.distribution.NodeDownReason;
import io.noex.distribution.NodeInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several nodes in this JVM, and the same behind fault proxies (real noex traffic through them). */
@Timeout(60)
class LocalClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void threeNodes_formAFullMesh_throughTheFirst() {
        try (LocalCluster cluster = LocalCluster.builder().nodes(3).heartbeatInterval(Duration.ofMillis(200)).start()) {
            cluster.awaitFullMesh(WAIT);

            assertThat(cluster.size()).isEqualTo(3);
            for (int i = 0; i < 3; i++) {
                assertThat(cluster.nodeId(i).name()).isEqualTo("node" + i);
                assertThat(cluster.nodeId(i).host()).isEqualTo("127.0.0.1");
                assertThat(cluster.membership(i).connectedNodes()).hasSize(2);
            }
        }
    }

    @Test
    void restart_keepsTheNodeId_inANewIncarnation() {
        try (LocalCluster cluster = LocalCluster.builder().names("a", "b", "c")
                .heartbeatInterval(Duration.ofMillis(200)).clusterSecret("s3cret").start()) {
            cluster.awaitFullMesh(WAIT);
            NodeId b = cluster.nodeId(1);
            long before = cluster.membership(0).node(b).map(NodeInfo::incarnation).orElseThrow();
            List<String> downs = new CopyOnWriteArrayList<>();
            cluster.membership(0).onNodeDown((id, reason) -> downs.add(id.name() + ":" + reason));

            cluster.stop(1);
            await().atMost(WAIT).until(() -> downs.contains("b:" + NodeDownReason.GRACEFUL_SHUTDOWN));
            assertThat(cluster.membership(1).status()).isEqualTo(ClusterStatus.STOPPED);
            cluster.awaitFullMesh(WAIT); // a <-> c still

            cluster.restart(1);
            cluster.awaitFullMesh(WAIT);
            assertThat(cluster.nodeId(1)).isEqualTo(b);
            assertThat(cluster.membership(0).node(b).map(NodeInfo::incarnation).orElseThrow()).isGreaterThan(before);
        }
    }

    @Test
    void close_stopsEveryClusterAndClosesEveryNode() {
        LocalCluster cluster = LocalCluster.start(2);
        cluster.awaitFullMesh(WAIT);
        cluster.close();
        for (int i = 0; i < 2; i++) {
            assertThat(cluster.membership(i).status()).isEqualTo(ClusterStatus.STOPPED);
            assertThat(cluster.node(i).isClosed()).isTrue();
        }
        cluster.close(); // idempotent
    }

    @Test
    void awaitFullMesh_namesTheMissingLinks() {
        try (LocalCluster cluster = LocalCluster.builder().nodes(2).heartbeatInterval(Duration.ofMillis(100))
                .behindFaultProxies().start()) {
            cluster.faults().isolate("node1");
            // The link may have formed before the isolation: wait until it is seen to be gone.
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !cluster.membership(0).isNodeConnected(cluster.nodeId(1)));
            assertThatThrownBy(() -> cluster.awaitFullMesh(Duration.ofMillis(300)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("node0 -> node1");
        }
    }

    @Test
    void builder_rejectsRepeatedNames() {
        assertThatThrownBy(() -> LocalCluster.builder().names("a", "b", "a").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a is given twice");
        assertThatThrownBy(() -> LocalCluster.builder().nodes(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodes");
    }

    // ---------------------------------------------------------------- behind fault proxies

    /** Heartbeats 200 ms x 5: prompt detection, with 1 s of slack for a JVM stalled on a loaded machine. */
    private static LocalCluster proxied() {
        return LocalCluster.builder().names("a", "b", "c").heartbeatInterval(Duration.ofMillis(200))
                .heartbeatMissThreshold(5).behindFaultProxies().start();
    }

    private static List<String> recordDowns(LocalCluster cluster, int i) {
        List<String> downs = new CopyOnWriteArrayList<>();
        cluster.membership(i).onNodeDown((id, reason) -> downs.add(id.name() + ":" + reason));
        return downs;
    }

    @Test
    void behindProxies_theProxiesIdentifyEachDialerByItsHello() {
        try (LocalCluster cluster = proxied()) {
            cluster.awaitFullMesh(WAIT);

            assertThat(cluster.nodeId(0).host()).isEqualTo(LocalCluster.PROXIED_HOST);
            // b and c joined through a, so both dialed a's proxy.
            assertThat(cluster.faults().proxy("a").dialers())
                    .containsExactlyInAnyOrder(cluster.nodeId(1).toString(), cluster.nodeId(2).toString());
            int connections = 0;
            for (String n : List.of("a", "b", "c")) {
                connections += cluster.faults().proxy(n).connectionCount();
            }
            assertThat(connections).isEqualTo(3); // one per pair
        }
    }

    @Test
    void behindProxies_anIsolatedNodeIsReportedDownByHeartbeat_andComesBackWhenHealed() {
        try (LocalCluster cluster = proxied()) {
            cluster.awaitFullMesh(WAIT);
            List<String> downsOnA = recordDowns(cluster, 0);
            List<String> downsOnB = recordDowns(cluster, 1);

            cluster.faults().isolate("c");
            await().atMost(WAIT).until(() -> downsOnA.contains("c:" + NodeDownReason.HEARTBEAT_TIMEOUT)
                    && downsOnB.contains("c:" + NodeDownReason.HEARTBEAT_TIMEOUT));
            assertThat(cluster.membership(0).isNodeConnected(cluster.nodeId(1))).isTrue();
            assertThat(downsOnA).doesNotContain("b:" + NodeDownReason.HEARTBEAT_TIMEOUT);

            cluster.faults().heal();
            cluster.awaitFullMesh(WAIT);
        }
    }

    @Test
    void behindProxies_aPartitionSplitsTheCluster_eachSideStaysConnected() {
        try (LocalCluster cluster = proxied()) {
            cluster.awaitFullMesh(WAIT);

            cluster.faults().partition(List.of("a"), List.of("b", "c"));
            await().atMost(WAIT).until(() -> cluster.membership(0).connectedNodes().isEmpty()
                    && cluster.membership(1).connectedNodes().size() == 1
                    && cluster.membership(2).connectedNodes().size() == 1);
            assertThat(cluster.membership(1).isNodeConnected(cluster.nodeId(2))).isTrue();

            cluster.faults().heal();
            cluster.awaitFullMesh(WAIT);
        }
    }

    /**
     * A dial whose handshake fails (times out in a black hole, or is reset) must be retried, or a
     * pair of nodes could stay split after a partition heals (a bug this test caught).
     */
    @Test
    void behindProxies_nodesReconnectAfterAPartitionThatOutlastedTheirDials() {
        try (LocalCluster cluster = LocalCluster.builder().names("a", "b").heartbeatInterval(Duration.ofMillis(100))
                .configure(c -> c.handshakeTimeout(Duration.ofMillis(500))
                        .reconnectBaseDelay(Duration.ofMillis(50)).reconnectMaxDelay(Duration.ofMillis(100)))
                .behindFaultProxies().start()) {
            cluster.awaitFullMesh(WAIT);
            List<String> downsOnA = recordDowns(cluster, 0);
            FaultProxy proxyOfA = cluster.faults().proxy("a");
            FaultProxy proxyOfB = cluster.faults().proxy("b");

            cluster.faults().partition(List.of("a"), List.of("b"));
            await().atMost(WAIT).until(() -> downsOnA.contains("b:" + NodeDownReason.HEARTBEAT_TIMEOUT));
            long dials = proxyOfA.acceptedConnections() + proxyOfB.acceptedConnections();
            // Each side redials 50-100 ms after each failure, and each handshake fails after 500 ms.
            await("the nodes keep redialing each other through the partition").atMost(Duration.ofSeconds(5))
                    .until(() -> proxyOfA.acceptedConnections() + proxyOfB.acceptedConnections() >= dials + 4);

            cluster.faults().heal();
            cluster.awaitFullMesh(WAIT);
        }
    }

    @Test
    void behindProxies_aFrozenNodeIsReportedDown_andUpAgainWhenResumed() {
        try (LocalCluster cluster = proxied()) {
            cluster.awaitFullMesh(WAIT);
            List<String> downsOnA = recordDowns(cluster, 0);

            cluster.faults().freeze("b");
            await().atMost(WAIT).until(() -> downsOnA.contains("b:" + NodeDownReason.HEARTBEAT_TIMEOUT));

            cluster.faults().resume("b");
            cluster.awaitFullMesh(WAIT);
        }
    }
}
