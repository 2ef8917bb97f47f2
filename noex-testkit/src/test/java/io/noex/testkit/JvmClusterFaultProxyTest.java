package io.noex.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.noex.distribution.NodeDownReason;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link JvmCluster.Builder#behindFaultProxies()}: JVM nodes behind their {@link FaultProxy}s, the
 * port picked by the parent, and the proxy kept across a restart. Heartbeats 200 ms x 3, so a cut
 * link is detected in about 0.6 s; figures are printed on lines starting with {@code NOEX-MEASURE}.
 */
@Timeout(90)
class JvmClusterFaultProxyTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JvmNodeOptions FAST = JvmNodeOptions.builder().heartbeatInterval(Duration.ofMillis(200))
            .reconnectBaseDelay(Duration.ofMillis(100)).reconnectMaxDelay(Duration.ofMillis(400)).build();

    @RegisterExtension
    final JvmCluster cluster = JvmCluster.builder().behindFaultProxies().build();

    private static void measure(String what, long fromNanos, long toNanos) {
        System.out.printf("NOEX-MEASURE %s: %d ms%n", what, Duration.ofNanos(toNanos - fromNanos).toMillis());
    }

    private List<JvmNode> twoNodes() {
        JvmNode a = cluster.start("a", FAST);
        JvmNode b = cluster.start("b", FAST.toBuilder().seeds(a.nodeId()).build());
        a.awaitEvent(NodeEvent.up(b.nodeId()), WAIT);
        b.awaitEvent(NodeEvent.up(a.nodeId()), WAIT);
        return List.of(a, b);
    }

    @Test
    void eachNodeAdvertisesItsProxy_andEveryConnectionPassesThroughOne() {
        List<JvmNode> nodes = twoNodes();

        for (JvmNode n : nodes) {
            FaultProxy proxy = cluster.faults().proxy(n.name());
            assertThat(n.nodeId().host()).isEqualTo(LocalCluster.PROXIED_HOST);
            assertThat(n.nodeId().port()).isEqualTo(proxy.port());
            assertThat(proxy.target().getPort()).isEqualTo(proxy.port());
            assertThat(proxy.target().getHostString()).isEqualTo(LocalCluster.BIND_HOST);
        }
        // One connection between a and b, through the proxy of whichever was dialed.
        int throughProxies = cluster.faults().proxy("a").connectionCount() + cluster.faults().proxy("b").connectionCount();
        assertThat(throughProxies).isEqualTo(1);
        assertThat(nodes.get(0).connectedNodes()).containsExactly(nodes.get(1).nodeId());
    }

    @Test
    void aPartitionBetweenTwoJvmNodes_isDetectedOnBothSides_andHeals() {
        List<JvmNode> nodes = twoNodes();
        JvmNode a = nodes.get(0);
        JvmNode b = nodes.get(1);

        long cut = System.nanoTime();
        cluster.faults().partition(List.of("a"), List.of("b"));
        NodeEvent aSeesB = a.awaitEvent(NodeEvent.down(b.nodeId()).and(NodeEvent.after(cut)), WAIT);
        NodeEvent bSeesA = b.awaitEvent(NodeEvent.down(a.nodeId()).and(NodeEvent.after(cut)), WAIT);
        assertThat(aSeesB.reason()).contains(NodeDownReason.HEARTBEAT_TIMEOUT);
        assertThat(bSeesA.reason()).contains(NodeDownReason.HEARTBEAT_TIMEOUT);
        measure("JvmCluster behind proxies: partition a|b to HEARTBEAT_TIMEOUT on a (200 ms x 3)", cut, aSeesB.receivedNanos());
        assertThat(a.connectedNodes()).isEmpty();

        long healed = System.nanoTime();
        cluster.faults().heal();
        NodeEvent up = a.awaitEvent(NodeEvent.up(b.nodeId()).and(NodeEvent.after(healed)), WAIT);
        b.awaitEvent(NodeEvent.up(a.nodeId()).and(NodeEvent.after(healed)), WAIT);
        measure("JvmCluster behind proxies: heal to b up on a", healed, up.receivedNanos());
        assertThat(a.connectedNodes()).containsExactly(b.nodeId());
        assertThat(b.connectedNodes()).containsExactly(a.nodeId());
    }

    @Test
    void aRestartedNode_keepsItsPortAndItsProxy_withTheFaultsSetOnIt() {
        List<JvmNode> nodes = twoNodes();
        JvmNode a = nodes.get(0);
        JvmNode b = nodes.get(1);
        FaultProxy bProxy = cluster.faults().proxy("b");

        cluster.faults().partition(List.of("a"), List.of("b"));
        long killed = System.nanoTime();
        b.kill9();
        a.awaitEvent(NodeEvent.down(b.nodeId()).and(NodeEvent.after(killed)), WAIT);
        long discardedBefore = cluster.faults().proxy("a").discardedBytes();
        JvmNode again = cluster.restart(b);

        assertThat(again.nodeId()).isEqualTo(b.nodeId());
        assertThat(again.incarnation()).isGreaterThan(b.incarnation());
        assertThat(cluster.faults().proxy("b")).isSameAs(bProxy);
        // The partition survived the restart: the new b dials its seed a, through a's proxy, which
        // discards what b sends, so they stay apart until the partition is healed.
        assertThat(Poll.until(() -> cluster.faults().proxy("a").discardedBytes() > discardedBefore, WAIT)).isTrue();
        assertThat(again.connectedNodes()).isEmpty();
        assertThat(a.connectedNodes()).isEmpty();

        long healed = System.nanoTime();
        cluster.faults().heal();
        NodeEvent up = a.awaitEvent(NodeEvent.up(b.nodeId()).and(NodeEvent.after(healed)), WAIT);
        assertThat(up.incarnation()).hasValue(again.incarnation());
        again.awaitEvent(NodeEvent.up(a.nodeId()), WAIT);
        assertThat(again.connectedNodes()).containsExactly(a.nodeId());
    }

    @Test
    void anAdvertisedHostOrAForeignPort_isRefused_beforeAnyJvmStarts() {
        assertThatThrownBy(() -> cluster.start("a", FAST.toBuilder().advertisedHost("127.0.0.3").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("advertisedHost");
        assertThat(cluster.nodes()).isEmpty();

        JvmNode a = cluster.start("a", FAST);
        a.kill9();
        assertThatThrownBy(() -> cluster.start("a", FAST.toBuilder().port(a.nodeId().port() == 65535 ? 65534 : a.nodeId().port() + 1).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port");
        assertThat(cluster.nodes()).hasSize(1);
    }

    @Test
    void faults_withoutProxies_isAClearError() {
        try (JvmCluster plain = JvmCluster.create()) {
            assertThatThrownBy(plain::faults)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("behindFaultProxies");
        }
    }
}
