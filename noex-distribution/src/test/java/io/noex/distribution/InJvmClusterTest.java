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
        assertThat(downs).containsExactly("b:" + NodeDownReason.GRACEFUL_SHUTDOWN);
        assertThat(a.isNodeConnected(bId)).isFalse();
        assertThat(b.status()).isEqualTo(ClusterStatus.STOPPED);
    }
}
