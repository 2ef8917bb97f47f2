package io.noex.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.noex.Node;
import io.noex.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several clustered nodes in one JVM, over real TCP on 127.0.0.1. */
@Timeout(60)
class InJvmClusterTest {

    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (Node n : nodes) {
            ClusterMembership.of(n).stop();
            n.close();
        }
    }

    private ClusterMembership start(String name, String... seeds) {
        Node n = Node.create(name);
        nodes.add(n);
        ClusterMembership c = ClusterMembership.of(n);
        c.start(ClusterConfig.builder().nodeName(name).host("127.0.0.1").port(0).seeds(seeds)
                .heartbeatInterval(Duration.ofMillis(200)).build());
        return c;
    }

    private static void awaitFullMesh(ClusterMembership... members) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (ClusterMembership m : members) {
                assertThat(m.connectedNodes()).hasSize(members.length - 1);
            }
        });
    }

    @Test
    void aNodeJoiningThroughOneMember_discoversAllByGossip() {
        ClusterMembership a = start("a");
        ClusterMembership b = start("b", a.localNodeId().toString());
        awaitFullMesh(a, b);
        ClusterMembership c = start("c", b.localNodeId().toString());
        awaitFullMesh(a, b, c);
        assertThat(c.isNodeConnected(a.localNodeId())).isTrue();
        assertThat(a.nodes()).extracting(NodeInfo::id)
                .containsExactlyInAnyOrder(a.localNodeId(), b.localNodeId(), c.localNodeId());
    }

    @Test
    void aGracefulStop_isReportedAsGracefulShutdown() {
        ClusterMembership a = start("a");
        ClusterMembership b = start("b", a.localNodeId().toString());
        awaitFullMesh(a, b);
        List<String> downs = new CopyOnWriteArrayList<>();
        a.onNodeDown((id, reason) -> downs.add(id.name() + ":" + reason));
        NodeId bId = b.localNodeId();
        b.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> !downs.isEmpty());
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> downs.size() == 1);
        assertThat(downs).containsExactly("b:" + NodeDownReason.GRACEFUL_SHUTDOWN);
        assertThat(a.isNodeConnected(bId)).isFalse();
        assertThat(b.status()).isEqualTo(ClusterStatus.STOPPED);
    }

    @Test
    void aFrozenPeer_isDownAtTheHeartbeatTimeout_drivenByAManualClock() throws Exception {
        // Real TCP, manual time: only a's clock moves, so b never sends a heartbeat, and a's
        // failure detector must report b down once interval x threshold has passed, not before.
        io.noex.time.ManualScheduler aTime = new io.noex.time.ManualScheduler();
        io.noex.time.ManualScheduler bTime = new io.noex.time.ManualScheduler();
        Node an = Node.builder().name("a").scheduler(aTime).build();
        Node bn = Node.builder().name("b").scheduler(bTime).build();
        nodes.add(an);
        nodes.add(bn);
        ClusterMembership a = ClusterMembership.of(an);
        ClusterMembership b = ClusterMembership.of(bn);
        a.start(ClusterConfig.builder().nodeName("a").host("127.0.0.1").port(0).build());
        b.start(ClusterConfig.builder().nodeName("b").host("127.0.0.1").port(0).seeds(a.localNodeId().toString()).build());
        bTime.advance(Duration.ZERO); // b's seed dial is scheduled at once by its membership executor
        await().atMost(Duration.ofSeconds(10)).until(() -> a.isNodeConnected(b.localNodeId()));
        List<String> downs = new CopyOnWriteArrayList<>();
        a.onNodeDown((id, reason) -> downs.add(reason.toString()));
        for (int i = 0; i < 3; i++) {
            aTime.advance(Duration.ofSeconds(1));
        }
        Thread.sleep(0);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(downs::isEmpty);
        aTime.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> downs.equals(List.of("HEARTBEAT_TIMEOUT")));
    }

    @Test
    void processCount_isTheRealNumberOfProcesses() {
        ClusterMembership a = start("a");
        ClusterMembership b = start("b", a.localNodeId().toString());
        awaitFullMesh(a, b);
        Node bNode = nodes.get(1);
        for (int i = 0; i < 25; i++) {
            bNode.start(new io.noex.GenServerBehavior<Integer>() {
                public Integer init(java.util.List<Object> args) {
                    return 0;
                }

                public io.noex.CallResult<Integer> handleCall(Object msg, Integer s) {
                    return io.noex.CallResult.reply(s, s);
                }

                public Integer handleCast(Object msg, Integer s) {
                    return s;
                }
            });
        }
        await().atMost(Duration.ofSeconds(5)).until(() ->
                a.node(b.localNodeId()).map(NodeInfo::processCount).orElse(-1) == 25);
    }

    @Test
    void stopAndStartAgain_releasesThePort_andRejoinsWithAHigherIncarnation() {
        ClusterMembership a = start("a");
        Node bNode = Node.create("b");
        nodes.add(bNode);
        ClusterMembership b = ClusterMembership.of(bNode);
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ClusterConfig config = ClusterConfig.builder().nodeName("b").host("127.0.0.1").port(port)
                .seeds(a.localNodeId().toString()).heartbeatInterval(Duration.ofMillis(200)).build();
        b.start(config);
        awaitFullMesh(a, b);
        long first = a.node(b.localNodeId()).orElseThrow().incarnation();
        List<String> events = new CopyOnWriteArrayList<>();
        a.onNodeDown((id, reason) -> events.add("down:" + reason));
        a.onNodeUp(info -> events.add("up:" + (info.incarnation() > first)));
        b.stop();
        assertThat(bNode.nodeId().host()).isEqualTo("nohost");
        b.start(config);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("up:true"));
        assertThat(events).containsSubsequence("down:GRACEFUL_SHUTDOWN", "up:true");
        assertThat(b.localNodeId().port()).isEqualTo(port);
    }

    @Test
    void startingTwice_isRefused_andListenersCanUnsubscribe() {
        ClusterMembership a = start("a");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.start(ClusterConfig.builder().nodeName("a").port(0).build()))
                .isInstanceOf(ClusterStateException.class).hasMessageContaining("RUNNING");
        List<String> ups = new CopyOnWriteArrayList<>();
        io.noex.Subscription s = a.onNodeUp(info -> ups.add(info.id().name()));
        a.onNodeUp(info -> {
            throw new IllegalStateException("a listener's bug must not stop the others");
        });
        ClusterMembership b = start("b", a.localNodeId().toString());
        awaitFullMesh(a, b);
        await().atMost(Duration.ofSeconds(5)).until(() -> ups.equals(List.of("b")));
        s.close();
        ClusterMembership c = start("c", a.localNodeId().toString());
        awaitFullMesh(a, b, c);
        assertThat(ups).containsExactly("b");
    }

    @Test
    void statusChanges_areReportedInOrder() {
        Node n = Node.create("s");
        nodes.add(n);
        ClusterMembership m = ClusterMembership.of(n);
        List<ClusterStatus> seen = new CopyOnWriteArrayList<>();
        m.onStatusChange(seen::add);
        m.start(ClusterConfig.builder().nodeName("s").host("127.0.0.1").port(0).build());
        m.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 4);
        assertThat(seen).containsExactly(ClusterStatus.STARTING, ClusterStatus.RUNNING, ClusterStatus.STOPPING,
                ClusterStatus.STOPPED);
    }

    @Test
    void aTakenPort_failsStartWithAClearMessage_andTheNodeCanTryAgain() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            Node n = Node.create("p");
            nodes.add(n);
            ClusterMembership m = ClusterMembership.of(n);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.start(ClusterConfig.builder().nodeName("p")
                            .host("127.0.0.1").port(taken.getLocalPort()).build()))
                    .isInstanceOf(io.noex.NoexException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            assertThat(m.status()).isEqualTo(ClusterStatus.STOPPED);
            m.start(ClusterConfig.builder().nodeName("p").host("127.0.0.1").port(0).build());
            assertThat(m.status()).isEqualTo(ClusterStatus.RUNNING);
        }
    }
}
