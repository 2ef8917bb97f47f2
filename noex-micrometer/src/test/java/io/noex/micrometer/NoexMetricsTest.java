package io.noex.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.noex.CallResult;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.distribution.ClusterConfig;
import io.noex.distribution.ClusterMembership;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class NoexMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (Node n : nodes) {
            ClusterMembership.of(n).stop();
            n.close();
        }
        registry.close();
    }

    /** Replies to any call with the message; crashes on the cast "boom"; ignores other casts. */
    static final class Echo implements GenServerBehavior<Integer> {
        @Override
        public Integer init(List<Object> args) {
            return 0;
        }

        @Override
        public CallResult<Integer> handleCall(Object msg, Integer n) {
            return CallResult.reply(msg, n + 1);
        }

        @Override
        public Integer handleCast(Object msg, Integer n) {
            if ("boom".equals(msg)) {
                throw new IllegalStateException("boom, on purpose");
            }
            return n;
        }
    }

    private Node node(String name) {
        Node n = Node.create(name);
        nodes.add(n);
        new NoexMetrics(n, Tags.of("app", "test")).bindTo(registry);
        return n;
    }

    private static void join(Node n, String... seeds) {
        ClusterMembership.of(n).start(ClusterConfig.builder().nodeName(n.name()).host("127.0.0.1").port(0).seeds(seeds)
                .heartbeatInterval(Duration.ofMillis(200)).build());
    }

    private double counter(String name, Node n) {
        return registry.get(name).tags("node", n.name(), "app", "test").functionCounter().count();
    }

    private double gauge(String name, Node n) {
        return registry.get(name).tags("node", n.name(), "app", "test").gauge().value();
    }

    @Test
    void nodeMeters_followProcessesStartingExitingAndCrashing() {
        Node a = node("a");
        assertThat(gauge("noex.processes", a)).isZero();

        List<GenServerRef> refs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            refs.add(a.start(new Echo()));
        }
        assertThat(gauge("noex.processes", a)).isEqualTo(3);
        assertThat(counter("noex.processes.started", a)).isEqualTo(3);

        a.stop(refs.get(0));
        a.cast(refs.get(1), "boom");
        await().atMost(WAIT).until(() -> counter("noex.processes.crashed", a) == 1);
        assertThat(counter("noex.processes.exited", a)).isEqualTo(2);
        assertThat(gauge("noex.processes", a)).isEqualTo(1);

        a.cast(refs.get(0), "to a process that is gone");
        await().atMost(WAIT).until(() -> counter("noex.messages.dropped", a) == 1);
        assertThat(counter("noex.messages.handled", a)).as("the crashing cast was handled").isGreaterThanOrEqualTo(1);
    }

    @Test
    void clusterMeters_readZeroBeforeJoining_andMoveWhenMessagesFlowBetweenTwoNodes() {
        Node a = node("a");
        Node b = node("b");
        assertThat(counter("noex.cluster.frames.in", a)).isZero();
        assertThat(registry.find("noex.cluster.connections.rejected").tags("node", "a").functionCounters())
                .hasSize(NoexMetrics.REJECTION_REASONS.size());

        join(a);
        join(b, ClusterMembership.of(a).localNodeId().toString());
        await().atMost(WAIT).until(() -> gauge("noex.cluster.members.connected", a) == 1);
        GenServerRef onB = b.start(new Echo());
        for (int i = 0; i < 5; i++) {
            assertThat((Integer) a.call(onB, i)).isEqualTo(i);
        }

        assertThat(counter("noex.cluster.calls.served", b)).isEqualTo(5);
        assertThat(counter("noex.cluster.frames.out", a)).isGreaterThanOrEqualTo(5);
        assertThat(counter("noex.cluster.bytes.out", a)).isGreaterThan(counter("noex.cluster.frames.out", a));
        assertThat(counter("noex.cluster.frames.in", b)).isGreaterThanOrEqualTo(5);
        assertThat(counter("noex.cluster.connections.opened", a)).isGreaterThanOrEqualTo(1);
        assertThat(counter("noex.cluster.dials", b)).as("b dialed its seed").isGreaterThanOrEqualTo(1);
        assertThat(gauge("noex.cluster.requests.pending", a)).isZero();
        assertThat(counter("noex.messages.handled", b)).as("the 5 calls").isGreaterThanOrEqualTo(5);
        await().atMost(WAIT).until(() -> gauge("noex.cluster.outbound.queued", a) == 0);
        assertThat(registry.get("noex.cluster.bytes.out").tags("node", "a").functionCounter().getId().getBaseUnit())
                .isEqualTo("bytes");
    }

    @Test
    void clusterCounters_neverGoDown_acrossAClusterRestart() {
        Node a = node("a");
        Node b = node("b");
        join(a);
        join(b, ClusterMembership.of(a).localNodeId().toString());
        GenServerRef onB = b.start(new Echo());
        await().atMost(WAIT).until(() -> ClusterMembership.of(a).connectedNodes().size() == 1);
        a.call(onB, "before");
        double before = counter("noex.cluster.frames.out", a);

        ClusterMembership.of(a).stop();
        assertThat(counter("noex.cluster.frames.out", a)).as("while stopped").isEqualTo(before);
        join(a, ClusterMembership.of(b).localNodeId().toString());
        await().atMost(WAIT).until(() -> ClusterMembership.of(a).connectedNodes().size() == 1);
        a.call(onB, "after");

        assertThat(counter("noex.cluster.frames.out", a)).isGreaterThan(before);
    }

    @Test
    void rejectionReasons_includeEveryReasonARunningClusterReports() {
        Node a = node("a");
        join(a);

        assertThat(NoexMetrics.REJECTION_REASONS)
                .containsAll(ClusterMembership.of(a).metrics().orElseThrow().rejectedConnections().keySet());
    }

    @Test
    void meters_areTaggedWithTheNodeName() {
        Node a = node("a");

        Gauge g = registry.get("noex.processes").tags("node", "a").gauge();
        FunctionCounter c = registry.get("noex.cluster.calls.timeouts").tags("node", "a").functionCounter();

        assertThat(g.getId().getTag("app")).isEqualTo("test");
        assertThat(c.count()).isZero();
        assertThat(a.name()).isEqualTo("a");
    }
}
