package io.noex.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.noex.CallResult;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.RestartType;
import io.noex.SupervisorStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Supervision across nodes in one JVM (real TCP): placement, restarts, migration, fencing. */
@Timeout(90)
class DistributedSupervisorTest {

    /** init args are its state; "crash" crashes it; a call returns the node it runs on. */
    public static final class Worker implements GenServerBehavior<List<Object>> {
        @Override
        public List<Object> init(List<Object> args) {
            return args;
        }

        @Override
        public CallResult<List<Object>> handleCall(Object msg, List<Object> state) {
            return CallResult.reply(Node.current().nodeId(), state);
        }

        @Override
        public List<Object> handleCast(Object msg, List<Object> state) {
            if ("crash".equals(msg)) {
                throw new IllegalStateException("worker crashed on purpose");
            }
            return state;
        }
    }

    private ClusterNodes cluster;
    private Node a;
    private Node b;
    private Node c;
    private final List<DistributedSupervisorEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        cluster = new ClusterNodes(n -> BehaviorRegistry.register(n, "worker", new Worker()));
        a = cluster.start("a");
        b = cluster.start("b", a);
        c = cluster.start("c", a);
        ClusterNodes.awaitMesh(a, b, c);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private DistributedSupervisorRef startOnA(DistributedSupervisorSpec spec) {
        return DistributedSupervisor.start(a, spec);
    }

    private List<DistributedChildInfo> children(DistributedSupervisorRef sup) {
        return a.call(sup.ref(), new io.noex.distribution.supervisor.SupervisorMessages.WhichChildren(), Duration.ofSeconds(30));
    }

    private static DistributedSupervisorSpec.Builder twelveWorkers(NodeSelector selector) {
        DistributedSupervisorSpec.Builder b = DistributedSupervisorSpec.builder().nodeSelector(selector)
                .restartIntensity(50, Duration.ofSeconds(10));
        for (int i = 0; i < 12; i++) {
            b.child(DistributedChildSpec.of("w" + i, "worker", List.of(i)));
        }
        return b;
    }

    private void subscribe(DistributedSupervisorRef sup) {
        var s = ClusterMembership.of(a).supervision().orElseThrow();
        s.subscribe(sup.ref(), events::add);
    }

    @Test
    void roundRobin_spreadsChildrenOverEveryNode_andEachIsCallable() {
        DistributedSupervisorRef sup = startOnA(twelveWorkers(NodeSelector.roundRobin()).build());
        List<DistributedChildInfo> kids = children(sup);
        assertThat(kids).hasSize(12);
        Map<NodeId, Long> perNode = kids.stream().collect(Collectors.groupingBy(DistributedChildInfo::nodeId, Collectors.counting()));
        assertThat(perNode).containsOnlyKeys(a.nodeId(), b.nodeId(), c.nodeId());
        assertThat(perNode.values()).containsOnly(4L);
        for (DistributedChildInfo k : kids) {
            assertThat((Object) a.call(k.ref().orElseThrow(), "where")).isEqualTo(k.nodeId());
        }
    }

    @Test
    void aCrashedChild_isRestartedOnItsNode() {
        DistributedSupervisorRef sup = startOnA(DistributedSupervisorSpec.builder()
                .nodeSelector(NodeSelector.node(b.nodeId()))
                .child(DistributedChildSpec.of("only", "worker", List.of())).build());
        subscribe(sup);
        GenServerRef first = children(sup).get(0).ref().orElseThrow();
        b.cast(first, "crash");
        await().atMost(Duration.ofSeconds(10)).until(() -> children(sup).get(0).ref().filter(r -> !r.equals(first)).isPresent());
        DistributedChildInfo after = children(sup).get(0);
        assertThat(after.nodeId()).isEqualTo(b.nodeId());
        assertThat(after.restartCount()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                events.stream().anyMatch(e -> e instanceof DistributedSupervisorEvent.ChildRestarted));
    }

    @Test
    void whenANodeIsLost_itsChildrenMigrateOnce_andAreCallableAgain() {
        DistributedSupervisorRef sup = startOnA(twelveWorkers(NodeSelector.roundRobin()).build());
        subscribe(sup);
        List<String> onC = children(sup).stream().filter(k -> k.nodeId().equals(c.nodeId())).map(DistributedChildInfo::id).toList();
        NodeId lost = c.nodeId();
        ClusterMembership.of(c).stop();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<DistributedChildInfo> kids = children(sup);
            assertThat(kids).allSatisfy(k -> {
                assertThat(k.ref()).isPresent();
                assertThat(k.nodeId()).isNotEqualTo(lost);
            });
        });
        for (DistributedChildInfo k : children(sup)) {
            assertThat((Object) a.call(k.ref().orElseThrow(), "where")).isEqualTo(k.nodeId());
            assertThat(k.restartCount()).isEqualTo(onC.contains(k.id()) ? 1 : 0);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            List<String> migrated = events.stream().filter(e -> e instanceof DistributedSupervisorEvent.ChildMigrated)
                    .map(e -> ((DistributedSupervisorEvent.ChildMigrated) e).childId()).toList();
            assertThat(migrated).containsExactlyInAnyOrderElementsOf(onC);
            assertThat(events).filteredOn(e -> e instanceof DistributedSupervisorEvent.NodeFailureDetected).hasSize(1);
        });
        assertThat(c.processCount()).as("the fenced children on the lost node are gone").isZero();
    }

    @Test
    void stop_terminatesChildrenOnEveryNode() {
        DistributedSupervisorRef sup = startOnA(twelveWorkers(NodeSelector.roundRobin()).build());
        int before = b.processCount() + c.processCount();
        assertThat(before).isEqualTo(8);
        a.stop(sup.ref(), io.noex.ExitReason.shutdown(), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(() -> b.processCount() + c.processCount() == 0);
        assertThat(a.isRunning(sup.ref())).isFalse();
    }

    @Test
    void whenTheSupervisorsNodeLeavesTheCluster_theSupervisorStops_andItsChildrenStopOnEveryNode() {
        DistributedSupervisorRef sup = startOnA(twelveWorkers(NodeSelector.roundRobin()).build());
        subscribe(sup);
        assertThat(a.processCount()).isEqualTo(5); // the supervisor and its 4 local children
        assertThat(b.processCount() + c.processCount()).isEqualTo(8);
        ClusterMembership.of(a).stop();
        assertThat(a.isRunning(sup.ref())).as("stopped before the cluster left").isFalse();
        assertThat(a.processCount()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> b.processCount() + c.processCount() == 0);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(events).filteredOn(e -> e instanceof DistributedSupervisorEvent.ChildStopped).hasSize(12);
            assertThat(events.getLast()).isInstanceOfSatisfying(DistributedSupervisorEvent.SupervisorStopped.class,
                    s -> assertThat(s.reason()).isEqualTo(io.noex.ExitReason.shutdown()));
        });
        assertThat(events).noneMatch(e -> e instanceof DistributedSupervisorEvent.ChildMigrated
                || e instanceof DistributedSupervisorEvent.NodeFailureDetected);
    }

    @Test
    void restartIntensityExceeded_stopsTheSupervisorWithAnEvent() {
        DistributedSupervisorRef sup = startOnA(DistributedSupervisorSpec.builder()
                .nodeSelector(NodeSelector.node(b.nodeId())).restartIntensity(1, Duration.ofSeconds(30))
                .child(DistributedChildSpec.of("flaky", "worker", List.of())).build());
        subscribe(sup);
        b.cast(children(sup).get(0).ref().orElseThrow(), "crash");
        await().atMost(Duration.ofSeconds(10)).until(() -> children(sup).get(0).restartCount() == 1);
        b.cast(children(sup).get(0).ref().orElseThrow(), "crash");
        await().atMost(Duration.ofSeconds(10)).until(() -> !a.isRunning(sup.ref()));
        await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(e ->
                e instanceof DistributedSupervisorEvent.SupervisorStopped s
                        && s.reason() instanceof io.noex.ExitReason.Error err && err.message().contains("intensity")));
        await().atMost(Duration.ofSeconds(5)).until(() -> b.processCount() == 0);
    }

    @Test
    void badChildSpecsAndSelectors_getClearErrors_andTheSupervisorKeepsRunning() {
        DistributedSupervisorRef sup = startOnA(DistributedSupervisorSpec.builder().build());
        Object refused = a.call(sup.ref(), new io.noex.distribution.supervisor.SupervisorMessages.StartChildLocal(
                DistributedChildSpec.of("x", "no-such-behavior", List.of()).withNodeSelector(NodeSelector.node(b.nodeId()))));
        assertThat(refused).isInstanceOfSatisfying(io.noex.distribution.supervisor.SupervisorMessages.Refused.class,
                r -> assertThat(r.message()).contains("no-such-behavior").contains(b.nodeId().toString()));
        Object unknownNode = a.call(sup.ref(), new io.noex.distribution.supervisor.SupervisorMessages.StartChildLocal(
                DistributedChildSpec.of("y", "worker", List.of()).withNodeSelector(NodeSelector.node(NodeId.parse("ghost@127.0.0.1:9")))));
        assertThat(unknownNode).isInstanceOfSatisfying(io.noex.distribution.supervisor.SupervisorMessages.Refused.class,
                r -> assertThat(r.message()).contains("ghost@127.0.0.1:9").contains("not a live member"));
        Object throwing = a.call(sup.ref(), new io.noex.distribution.supervisor.SupervisorMessages.StartChildLocal(
                DistributedChildSpec.of("z", "worker", List.of()).withNodeSelector((id, cands) -> {
                    throw new IllegalStateException("selector bug");
                })));
        assertThat(throwing).isInstanceOfSatisfying(io.noex.distribution.supervisor.SupervisorMessages.Refused.class,
                r -> assertThat(r.message()).contains("selector threw").contains("selector bug"));
        assertThat(a.isRunning(sup.ref())).isTrue();
        assertThatThrownBy(() -> DistributedSupervisorSpec.builder()
                .child(DistributedChildSpec.of("d", "worker", List.of()))
                .child(DistributedChildSpec.of("d", "worker", List.of())).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate child id 'd'");
    }

    @Test
    void leastLoaded_placesOnTheNodeWithTheFewestProcesses() {
        for (int i = 0; i < 30; i++) {
            a.start(new Worker());
            b.start(new Worker());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> ClusterMembership.of(a).node(b.nodeId())
                .map(NodeInfo::processCount).orElse(0) >= 30);
        DistributedSupervisorRef sup = startOnA(DistributedSupervisorSpec.builder().nodeSelector(NodeSelector.leastLoaded())
                .child(DistributedChildSpec.of("light", "worker", List.of())).build());
        assertThat(children(sup).get(0).nodeId()).isEqualTo(c.nodeId());
    }

    @Test
    void oneForAll_restartsEveryChild_acrossNodes() {
        DistributedSupervisorSpec.Builder spec = DistributedSupervisorSpec.builder().strategy(SupervisorStrategy.ONE_FOR_ALL)
                .nodeSelector(NodeSelector.roundRobin()).restartIntensity(10, Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            spec.child(DistributedChildSpec.of("k" + i, "worker", List.of(i)));
        }
        DistributedSupervisorRef sup = startOnA(spec.build());
        List<GenServerRef> before = children(sup).stream().map(k -> k.ref().orElseThrow()).toList();
        b.cast(before.get(1).nodeId().equals(b.nodeId()) ? before.get(1) : before.stream()
                .filter(r -> r.nodeId().equals(b.nodeId())).findFirst().orElseThrow(), "crash");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<DistributedChildInfo> kids = children(sup);
            assertThat(kids).allSatisfy(k -> assertThat(k.ref()).isPresent());
            assertThat(kids.stream().map(k -> k.ref().orElseThrow()).toList()).doesNotContainAnyElementsOf(before);
        });
    }

    @Test
    void simpleOneForOne_startsInstancesOnDemand() {
        DistributedSupervisorRef sup = startOnA(DistributedSupervisorSpec.builder()
                .strategy(SupervisorStrategy.SIMPLE_ONE_FOR_ONE).nodeSelector(NodeSelector.roundRobin())
                .child(DistributedChildSpec.of("conn", "worker", List.of("base"))).build());
        List<GenServerRef> started = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            started.add(a.call(sup.ref(), new io.noex.distribution.supervisor.SupervisorMessages.StartInstance(List.of(i))));
        }
        assertThat(started.stream().map(GenServerRef::nodeId).distinct()).hasSize(3);
        assertThat(children(sup)).extracting(DistributedChildInfo::id).containsExactly("conn-1", "conn-2", "conn-3");
        a.call(sup.ref(), new io.noex.distribution.supervisor.SupervisorMessages.TerminateChild("conn-2"));
        assertThat(children(sup)).extracting(DistributedChildInfo::id).containsExactly("conn-1", "conn-3");
    }

    @Test
    void terminateAndRestartChild_workWhateverNodeTheChildIsOn() {
        DistributedSupervisorRef sup = startOnA(DistributedSupervisorSpec.builder().nodeSelector(NodeSelector.node(c.nodeId()))
                .child(DistributedChildSpec.of("t", "worker", List.of()).withRestart(RestartType.TRANSIENT)).build());
        GenServerRef first = children(sup).get(0).ref().orElseThrow();
        a.call(sup.ref(), new io.noex.distribution.supervisor.SupervisorMessages.TerminateChild("t"));
        assertThat(c.isRunning(first)).isFalse();
        GenServerRef second = a.call(sup.ref(), new io.noex.distribution.supervisor.SupervisorMessages.RestartChild("t"));
        assertThat(second.nodeId()).isEqualTo(c.nodeId());
        assertThat(c.isRunning(second)).isTrue();
    }
}
