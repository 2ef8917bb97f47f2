package io.noex.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.noex.CallResult;
import io.noex.ChildSpec;
import io.noex.GenServerBehavior;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.SupervisorSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ClusterObserverTest {

    static final class Idle implements GenServerBehavior<Integer> {
        @Override
        public Integer init(List<Object> args) {
            return 0;
        }

        @Override
        public CallResult<Integer> handleCall(Object msg, Integer s) {
            return CallResult.reply(s, s);
        }

        @Override
        public Integer handleCast(Object msg, Integer s) {
            return s;
        }
    }

    private final ClusterNodes cluster = new ClusterNodes(n -> { });

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aSnapshot_holdsEveryMembersOwnFigures_andMarksLostMembers() {
        Node a = cluster.start("a");
        Node b = cluster.start("b", a);
        Node c = cluster.start("c", a);
        ClusterNodes.awaitMesh(a, b, c);
        for (int i = 0; i < 7; i++) {
            b.start(new Idle());
        }
        b.supervisors().start(SupervisorSpec.builder().child(ChildSpec.worker("x", new Idle()).build()).build());
        ClusterSnapshot snap = ClusterObserver.snapshot(a, Duration.ofSeconds(5));
        assertThat(snap.nodes()).extracting(NodeSnapshot::nodeId).containsExactlyInAnyOrder(a.nodeId(), b.nodeId(), c.nodeId());
        assertThat(snap.nodes().get(0).nodeId()).isEqualTo(a.nodeId());
        NodeSnapshot sb = snap.nodes().stream().filter(n -> n.nodeId().equals(b.nodeId())).findFirst().orElseThrow();
        assertThat(sb.status()).isEqualTo(ObservedStatus.CONNECTED);
        assertThat(sb.processes()).isEqualTo(9);
        assertThat(sb.supervisors()).isEqualTo(1);
        assertThat(sb.heapMaxBytes()).isPositive();
        assertThat(sb.framesIn()).isPositive();
        NodeId cId = c.nodeId();
        ClusterMembership.of(c).stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> !ClusterMembership.of(a).isNodeConnected(cId));
        ClusterSnapshot later = ClusterObserver.snapshot(a, Duration.ofSeconds(5));
        NodeSnapshot sc = later.nodes().stream().filter(n -> n.nodeId().equals(cId)).findFirst()
                .orElseThrow(() -> new AssertionError(cId + " missing from " + later));
        assertThat(sc.status()).isEqualTo(ObservedStatus.DISCONNECTED);
    }

    @Test
    void polling_deliversSnapshotsUntilClosed() throws Exception {
        Node a = cluster.start("a");
        List<ClusterSnapshot> seen = new CopyOnWriteArrayList<>();
        io.noex.Subscription s;
        Thread t = Thread.ofPlatform().start(() -> { });
        t.join();
        s = a.call(a.start(new GenServerBehavior<Integer>() {
            public Integer init(List<Object> args) {
                return 0;
            }

            public CallResult<Integer> handleCall(Object msg, Integer st) {
                return CallResult.reply(ClusterObserver.poll(Duration.ofMillis(50), seen::add), st);
            }

            public Integer handleCast(Object msg, Integer st) {
                return st;
            }
        }), "poll");
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() >= 3);
        s.close();
        int after = seen.size();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> seen.size() <= after + 1);
    }

    @Test
    void aSnapshot_countsDistributedSupervisors_andMessagesHandledGrowWithTraffic() {
        Node a = cluster.start("a");
        Node b = cluster.start("b", a);
        ClusterNodes.awaitMesh(a, b);
        BehaviorRegistry.register(a, "idle", new Idle());
        BehaviorRegistry.register(b, "idle", new Idle());
        DistributedSupervisor.start(a, DistributedSupervisorSpec.builder().nodeSelector(NodeSelector.node(b.nodeId()))
                .child(DistributedChildSpec.of("i", "idle", List.of())).build());
        NodeSnapshot before = of(ClusterObserver.snapshot(a, Duration.ofSeconds(5)), b.nodeId());
        NodeSnapshot sa = of(ClusterObserver.snapshot(a, Duration.ofSeconds(5)), a.nodeId());
        assertThat(sa.supervisors()).as("the distributed supervisor on a").isEqualTo(1);
        assertThat(sa.processes()).isEqualTo(1);
        assertThat(before.processes()).as("its child on b").isEqualTo(1);
        io.noex.GenServerRef idle = b.start(new Idle());
        for (int i = 0; i < 50; i++) {
            a.call(idle, "hi");
        }
        NodeSnapshot after = of(ClusterObserver.snapshot(a, Duration.ofSeconds(5)), b.nodeId());
        assertThat(after.messagesHandled() - before.messagesHandled()).isGreaterThanOrEqualTo(50);
        assertThat(after.framesIn()).isGreaterThan(before.framesIn());
        assertThat(after.heapUsedBytes()).isPositive();
        assertThat(after.uptime()).isPositive();
        assertThat(after.error()).isEmpty();
    }

    private static NodeSnapshot of(ClusterSnapshot snap, NodeId id) {
        return snap.nodes().stream().filter(n -> n.nodeId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " missing from " + snap));
    }

    @Test
    void badInput_isRefusedClearly_andAListenerThatThrows_doesNotStopPolling() {
        Node a = cluster.start("a");
        Node lonely = Node.create("lonely");
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClusterObserver.snapshot(lonely, Duration.ofSeconds(1)))
                    .isInstanceOf(ClusterStateException.class).hasMessageContaining("running cluster");
        } finally {
            lonely.close();
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClusterObserver.snapshot(a, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClusterObserver.poll(a, Duration.ofMillis(-1), s -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval");
        List<ClusterSnapshot> seen = new CopyOnWriteArrayList<>();
        try (io.noex.Subscription s = ClusterObserver.poll(a, Duration.ofMillis(20), snap -> {
            seen.add(snap);
            throw new IllegalStateException("listener bug");
        })) {
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() >= 3);
        }
    }
}
