package io.noex.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.noex.CallResult;
import io.noex.ChildCounts;
import io.noex.ExitReason;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.RestartType;
import io.noex.SupervisorStrategy;
import io.noex.distribution.DistributedSupervisorEvent.ChildMigrated;
import io.noex.distribution.DistributedSupervisorEvent.ChildRestarted;
import io.noex.distribution.DistributedSupervisorEvent.ChildStarted;
import io.noex.distribution.DistributedSupervisorEvent.ChildStopped;
import io.noex.distribution.DistributedSupervisorEvent.NodeFailureDetected;
import io.noex.distribution.DistributedSupervisorEvent.SupervisorStarted;
import io.noex.distribution.DistributedSupervisorEvent.SupervisorStopped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The DistributedSupervisor facade used from any node, its lifecycle events in order, the
 * strategies when a node is lost, shutdown times, selectors, and every bad input the issue lists.
 * Three nodes in this JVM over real TCP.
 */
@Timeout(90)
class DistributedSupervisorApiTest {

    /** Replies with its node and its init arguments; "crash" (a cast) crashes it. */
    public static final class Worker implements GenServerBehavior<List<Object>> {
        @Override
        public List<Object> init(List<Object> args) {
            return args;
        }

        @Override
        public CallResult<List<Object>> handleCall(Object msg, List<Object> state) {
            return CallResult.reply(List.of(Node.current().nodeId().toString(), state), state);
        }

        @Override
        public List<Object> handleCast(Object msg, List<Object> state) {
            if ("crash".equals(msg)) {
                throw new IllegalStateException("worker crashed on purpose");
            }
            return state;
        }
    }

    /** Takes 20 s to terminate: its shutdown time decides when it is killed instead. */
    public static final class SlowToStop implements GenServerBehavior<Integer> {
        @Override
        public Integer init(List<Object> args) {
            return 0;
        }

        @Override
        public CallResult<Integer> handleCall(Object msg, Integer state) {
            return CallResult.reply(state, state);
        }

        @Override
        public Integer handleCast(Object msg, Integer state) {
            return state;
        }

        @Override
        public void terminate(ExitReason reason, Integer state) {
            try {
                Thread.sleep(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs what it is asked to, inside a process, so that the facade's Node.current() is its node. */
    private static final class Agent implements GenServerBehavior<Integer> {
        /** A failure, handed back as a value so the test sees the facade's own exception. */
        private record Thrown(RuntimeException e) {
        }

        @Override
        public Integer init(List<Object> args) {
            return 0;
        }

        @Override
        public CallResult<Integer> handleCall(Object msg, Integer state) {
            try {
                return CallResult.reply(((Supplier<?>) msg).get(), state);
            } catch (RuntimeException e) {
                return CallResult.reply(new Thrown(e), state);
            }
        }

        @Override
        public Integer handleCast(Object msg, Integer state) {
            return state;
        }
    }

    /** Runs {@code action} in a short-lived process on {@code n} and returns its result or throws its exception. */
    @SuppressWarnings("unchecked")
    private static <T> T on(Node n, Supplier<T> action) {
        GenServerRef agent = n.start(new Agent());
        try {
            Object r = n.call(agent, action, Duration.ofSeconds(60));
            if (r instanceof Agent.Thrown t) {
                throw t.e();
            }
            return (T) r;
        } finally {
            n.stop(agent);
        }
    }

    private static void onVoid(Node n, Runnable action) {
        on(n, () -> {
            action.run();
            return Boolean.TRUE;
        });
    }

    private ClusterNodes cluster;
    private Node a;
    private Node b;
    private Node c;
    private final List<DistributedSupervisorEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        cluster = new ClusterNodes(n -> {
            BehaviorRegistry.register(n, "worker", new Worker());
            BehaviorRegistry.register(n, "slow", new SlowToStop());
        });
        a = cluster.start("a");
        b = cluster.start("b", a);
        c = cluster.start("c", a);
        ClusterNodes.awaitMesh(a, b, c);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private DistributedSupervisorSpec.Builder specOnA() {
        return DistributedSupervisorSpec.builder().onLifecycleEvent(events::add);
    }

    /** Places each child on {@code preferred} while it is a candidate, else on the first candidate. */
    private static NodeSelector preferring(NodeId preferred) {
        return (id, cands) -> cands.stream().map(NodeInfo::id).filter(preferred::equals).findFirst()
                .orElse(cands.get(0).id());
    }

    private static List<DistributedChildInfo> children(Node from, DistributedSupervisorRef sup) {
        return on(from, () -> DistributedSupervisor.getChildren(sup));
    }

    private static DistributedChildInfo child(Node from, DistributedSupervisorRef sup, String id) {
        return children(from, sup).stream().filter(k -> k.id().equals(id)).findFirst().orElseThrow();
    }

    // ================================================================== the facade from any node

    @Test
    void everyOperation_worksFromANodeOtherThanTheSupervisors() {
        DistributedSupervisorRef sup = DistributedSupervisor.start(a, specOnA().nodeSelector(NodeSelector.roundRobin()).build());

        GenServerRef k1 = on(b, () -> DistributedSupervisor.startChild(sup,
                DistributedChildSpec.of("k1", "worker", List.of("one", 1))));
        GenServerRef k2 = on(c, () -> DistributedSupervisor.startChild(sup,
                DistributedChildSpec.of("k2", "worker", List.of("two")).withRestart(RestartType.TRANSIENT)
                        .withShutdown(Duration.ofMillis(700))));
        assertThat(List.of(k1.nodeId(), k2.nodeId())).doesNotHaveDuplicates();
        // Started through the BehaviorRegistry with the init arguments, on the node that hosts it.
        assertThat((List<Object>) b.call(k1, "who")).containsExactly(k1.nodeId().toString(), List.of("one", 1));

        assertThat(children(c, sup)).extracting(DistributedChildInfo::id).containsExactly("k1", "k2");
        assertThat(on(b, () -> DistributedSupervisor.countChildren(sup))).isEqualTo(new ChildCounts(2, 2, 0, 2));

        onVoid(c, () -> DistributedSupervisor.terminateChild(sup, "k1"));
        assertThat(a.isRunning(k1)).isFalse();
        assertThat(child(b, sup, "k1").ref()).isEmpty();
        assertThat(on(b, () -> DistributedSupervisor.countChildren(sup))).isEqualTo(new ChildCounts(2, 1, 0, 2));

        GenServerRef k1again = on(c, () -> DistributedSupervisor.restartChild(sup, "k1"));
        assertThat(k1again.nodeId()).as("restarted on its node, which is up").isEqualTo(k1.nodeId());
        assertThat(a.isRunning(k1again)).isTrue();

        onVoid(b, () -> DistributedSupervisor.stop(sup));
        assertThat(a.isRunning(sup.ref())).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.processCount() + b.processCount() + c.processCount() == 0);
    }

    @Test
    void everyOperation_hasAnOverloadNamingTheNodeToAskFrom_forSeveralNodesInOneJvm() {
        // From the test's own thread: no process, so no current node; each call names its node.
        DistributedSupervisorRef sup = DistributedSupervisor.start(a, specOnA().nodeSelector(NodeSelector.node(c.nodeId())).build());
        List<DistributedSupervisorEvent> seen = new CopyOnWriteArrayList<>();
        try (var sub = DistributedSupervisor.onLifecycleEvent(a, sup, seen::add)) {
            GenServerRef k = DistributedSupervisor.startChild(b, sup, DistributedChildSpec.of("k", "worker", List.of("x")));
            assertThat(k.nodeId()).isEqualTo(c.nodeId());
            assertThat(DistributedSupervisor.getChildren(c, sup)).extracting(DistributedChildInfo::id).containsExactly("k");
            assertThat(DistributedSupervisor.countChildren(b, sup)).isEqualTo(new ChildCounts(1, 1, 0, 1));
            DistributedSupervisor.terminateChild(b, sup, "k");
            assertThat(a.isRunning(k)).isFalse();
            GenServerRef again = DistributedSupervisor.restartChild(c, sup, "k");
            assertThat(a.isRunning(again)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.stream().anyMatch(e -> e instanceof ChildStarted));
            assertThatThrownBy(() -> DistributedSupervisor.onLifecycleEvent(b, sup, e -> { }))
                    .isInstanceOf(DistributedSupervisorException.class).hasMessageContaining("supervisor's node");
            DistributedSupervisor.stop(c, sup);
        }
        assertThat(a.isRunning(sup.ref())).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.processCount() + b.processCount() + c.processCount() == 0);
    }

    @Test
    void simpleOneForOne_startChildWithArgs_fromAnotherNode_appendsThemToTheTemplates() {
        DistributedSupervisorRef sup = DistributedSupervisor.start(a, DistributedSupervisorSpec.builder()
                .strategy(SupervisorStrategy.SIMPLE_ONE_FOR_ONE).nodeSelector(NodeSelector.node(c.nodeId()))
                .child(DistributedChildSpec.of("conn", "worker", List.of("base"))).build());
        GenServerRef k = on(b, () -> DistributedSupervisor.startChild(sup, List.of("extra", 7)));
        assertThat(k.nodeId()).isEqualTo(c.nodeId());
        assertThat((List<Object>) a.call(k, "who")).containsExactly(c.nodeId().toString(), List.of("base", "extra", 7));
        assertThatThrownBy(() -> on(b, () -> DistributedSupervisor.startChild(sup,
                DistributedChildSpec.of("x", "worker", List.of()))))
                .isInstanceOf(DistributedSupervisorException.class).hasMessageContaining("SIMPLE_ONE_FOR_ONE");
    }

    // ================================================================== events

    @Test
    void lifecycleEvents_areEmittedInOrder_eachWhenItHappens() {
        DistributedSupervisorRef sup = DistributedSupervisor.start(a, specOnA().nodeSelector(preferring(c.nodeId()))
                .restartIntensity(10, Duration.ofSeconds(10))
                .child(DistributedChildSpec.of("k0", "worker", List.of()))
                .child(DistributedChildSpec.of("k1", "worker", List.of())).build());
        // The spec's handler saw the start itself: subscribing afterwards would be too late for it.
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 3);
        GenServerRef k0 = ((ChildStarted) events.get(0)).ref();
        GenServerRef k1 = ((ChildStarted) events.get(1)).ref();
        assertThat(events).containsExactly(new ChildStarted("k0", k0, c.nodeId()), new ChildStarted("k1", k1, c.nodeId()),
                new SupervisorStarted(sup.ref()));

        List<DistributedSupervisorEvent> late = new CopyOnWriteArrayList<>();
        onVoid(a, () -> DistributedSupervisor.onLifecycleEvent(sup, late::add));

        c.cast(k0, "crash");
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 4);
        ChildRestarted restarted = (ChildRestarted) events.get(3);
        assertThat(restarted.childId()).isEqualTo("k0");
        assertThat(restarted.previous()).isEqualTo(k0);
        assertThat(restarted.node()).isEqualTo(c.nodeId());
        assertThat(restarted.restartCount()).isEqualTo(1);

        onVoid(b, () -> DistributedSupervisor.terminateChild(sup, "k1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 5);
        assertThat(events.get(4)).isEqualTo(new ChildStopped("k1", k1, ExitReason.shutdown()));
        onVoid(b, () -> DistributedSupervisor.terminateChild(sup, "k1"));  // already stopped: no second event

        GenServerRef k1b = on(b, () -> DistributedSupervisor.restartChild(sup, "k1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 6);
        assertThat(events.get(5)).isEqualTo(new ChildStarted("k1", k1b, c.nodeId()));

        NodeId lost = c.nodeId();
        ClusterMembership.of(c).stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 9);
        assertThat(events.get(6)).isEqualTo(new NodeFailureDetected(lost, List.of("k0", "k1")));
        assertThat(events.subList(7, 9)).allSatisfy(e -> assertThat(e).isInstanceOfSatisfying(ChildMigrated.class, m -> {
            assertThat(m.from()).isEqualTo(lost);
            assertThat(m.to()).isIn(a.nodeId(), b.nodeId());
        })).extracting(e -> ((ChildMigrated) e).childId()).containsExactly("k0", "k1");

        onVoid(b, () -> DistributedSupervisor.stop(sup));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 12);
        assertThat(events.subList(9, 11)).extracting(e -> ((ChildStopped) e).childId()).containsExactly("k1", "k0");
        assertThat(events.get(11)).isEqualTo(new SupervisorStopped(sup.ref(), ExitReason.shutdown()));
        await().atMost(Duration.ofSeconds(5)).until(() -> late.size() == 9);
        assertThat(late).containsExactlyElementsOf(events.subList(3, 12));
    }

    @Test
    void lifecycleSubscriptions_areRefusedClearly_offTheSupervisorsNode_andForASupervisorThatIsNotRunning() {
        DistributedSupervisorRef sup = DistributedSupervisor.start(a, DistributedSupervisorSpec.builder().build());
        assertThatThrownBy(() -> onVoid(b, () -> DistributedSupervisor.onLifecycleEvent(sup, e -> { })))
                .isInstanceOf(DistributedSupervisorException.class).hasMessageContaining("supervisor's node " + a.nodeId());
        onVoid(a, () -> DistributedSupervisor.stop(sup));
        assertThatThrownBy(() -> onVoid(a, () -> DistributedSupervisor.onLifecycleEvent(sup, e -> { })))
                .isInstanceOf(DistributedSupervisorException.class).hasMessageContaining("no distributed supervisor");
    }

    // ================================================================== strategies when a node is lost

    private DistributedSupervisorRef threeSpread(SupervisorStrategy strategy) {
        NodeId[] order = {a.nodeId(), c.nodeId(), b.nodeId()};
        DistributedSupervisorSpec.Builder spec = specOnA().strategy(strategy).restartIntensity(10, Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            spec.child(DistributedChildSpec.of("k" + i, "worker", List.of(i)).withNodeSelector(NodeSelector.node(order[i])));
        }
        return DistributedSupervisor.start(a, spec.build());
    }

    @Test
    void oneForAll_whenANodeIsLost_migratesItsChild_andRestartsTheSiblingsOnTheirNodes() {
        DistributedSupervisorRef sup2 = DistributedSupervisor.start(a, specOnA().strategy(SupervisorStrategy.ONE_FOR_ALL)
                .restartIntensity(10, Duration.ofSeconds(10))
                .nodeSelector((id, cands) -> cands.stream().map(NodeInfo::id)
                        .filter(n -> n.equals(id.equals("k1") ? c.nodeId() : b.nodeId())).findFirst()
                        .orElse(a.nodeId()))
                .child(DistributedChildSpec.of("k0", "worker", List.of()))
                .child(DistributedChildSpec.of("k1", "worker", List.of()))
                .child(DistributedChildSpec.of("k2", "worker", List.of())).build());
        List<DistributedChildInfo> kids = children(a, sup2);
        assertThat(kids).extracting(DistributedChildInfo::nodeId).containsExactly(b.nodeId(), c.nodeId(), b.nodeId());
        events.clear();
        ClusterMembership.of(c).stop();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<DistributedChildInfo> now = children(a, sup2);
            assertThat(now).allSatisfy(k -> assertThat(k.ref()).isPresent());
            assertThat(now).extracting(DistributedChildInfo::nodeId).containsExactly(b.nodeId(), a.nodeId(), b.nodeId());
            assertThat(now).extracting(DistributedChildInfo::restartCount).containsExactly(1, 1, 1);
            for (int i = 0; i < 3; i++) {
                assertThat(now.get(i).ref()).isNotEqualTo(kids.get(i).ref());
            }
        });
        assertThat(events).filteredOn(e -> e instanceof ChildMigrated).extracting(e -> ((ChildMigrated) e).childId())
                .containsExactly("k1");
        assertThat(events).filteredOn(e -> e instanceof ChildRestarted).extracting(e -> ((ChildRestarted) e).childId())
                .containsExactly("k0", "k2");
        assertThat(kids).allSatisfy(k -> assertThat(a.isRunning(k.ref().orElseThrow())).isFalse());
    }

    @Test
    void restForOne_whenANodeIsLost_restartsOnlyTheChildrenStartedAfterTheLostOne() {
        DistributedSupervisorRef sup = DistributedSupervisor.start(a, specOnA().strategy(SupervisorStrategy.REST_FOR_ONE)
                .restartIntensity(10, Duration.ofSeconds(10))
                .nodeSelector((id, cands) -> cands.stream().map(NodeInfo::id)
                        .filter(n -> n.equals(id.equals("k1") ? c.nodeId() : b.nodeId())).findFirst()
                        .orElse(a.nodeId()))
                .child(DistributedChildSpec.of("k0", "worker", List.of()))
                .child(DistributedChildSpec.of("k1", "worker", List.of()))
                .child(DistributedChildSpec.of("k2", "worker", List.of())).build());
        List<DistributedChildInfo> kids = children(a, sup);
        ClusterMembership.of(c).stop();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<DistributedChildInfo> now = children(a, sup);
            assertThat(now).allSatisfy(k -> assertThat(k.ref()).isPresent());
            assertThat(now).extracting(DistributedChildInfo::restartCount).containsExactly(0, 1, 1);
            assertThat(now.get(0).ref()).isEqualTo(kids.get(0).ref());
            assertThat(now.get(1).nodeId()).isEqualTo(a.nodeId());
            assertThat(now.get(2).ref()).isNotEqualTo(kids.get(2).ref());
        });
    }

    @Test
    void restForOne_aCrashRestartsTheCrashedChildAndThoseAfterIt() {
        DistributedSupervisorRef sup = threeSpread(SupervisorStrategy.REST_FOR_ONE);
        List<DistributedChildInfo> kids = children(a, sup);
        c.cast(kids.get(1).ref().orElseThrow(), "crash");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(children(a, sup)).extracting(DistributedChildInfo::restartCount).containsExactly(0, 1, 1));
        List<DistributedChildInfo> now = children(a, sup);
        assertThat(now.get(0).ref()).isEqualTo(kids.get(0).ref());
        assertThat(now).extracting(DistributedChildInfo::nodeId).containsExactly(a.nodeId(), c.nodeId(), b.nodeId());
    }

    @Test
    void restartTypes_transientStaysDownAfterANormalExit_temporaryIsDroppedWhenItsNodeIsLost() {
        DistributedSupervisorRef sup = DistributedSupervisor.start(a, specOnA().nodeSelector(NodeSelector.node(c.nodeId()))
                .child(DistributedChildSpec.of("tr", "worker", List.of()).withRestart(RestartType.TRANSIENT))
                .child(DistributedChildSpec.of("tmp", "worker", List.of()).withRestart(RestartType.TEMPORARY)).build());
        GenServerRef tr = child(a, sup, "tr").ref().orElseThrow();
        GenServerRef tmp = child(a, sup, "tmp").ref().orElseThrow();
        a.stop(tr, ExitReason.normal(), Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> events.contains(new ChildStopped("tr", tr, ExitReason.normal())));
        assertThat(child(a, sup, "tr").ref()).isEmpty();

        ClusterMembership.of(c).stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains(new ChildStopped("tmp", tmp, ExitReason.noconnection())));
        assertThat(children(a, sup)).extracting(DistributedChildInfo::id).containsExactly("tr");
        assertThat(events).noneMatch(e -> e instanceof ChildMigrated || e instanceof ChildRestarted);
    }

    @Test
    void migrationsBeyondTheRestartIntensity_stopTheSupervisorCleanly_withAnEvent() {
        DistributedSupervisorSpec.Builder spec = specOnA().nodeSelector(NodeSelector.roundRobin())
                .restartIntensity(2, Duration.ofSeconds(30));
        for (int i = 0; i < 9; i++) {
            spec.child(DistributedChildSpec.of("w" + i, "worker", List.of()));
        }
        DistributedSupervisorRef sup = DistributedSupervisor.start(a, spec.build());
        ClusterMembership.of(c).stop(); // 3 children lost: one more than the intensity allows
        await().atMost(Duration.ofSeconds(10)).until(() -> !a.isRunning(sup.ref()));
        await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(e -> e instanceof SupervisorStopped s
                && s.reason() instanceof ExitReason.Error err && err.message().contains("maximum restart intensity")));
        await().atMost(Duration.ofSeconds(10)).until(() -> a.processCount() + b.processCount() == 0);
    }

    // ================================================================== shutdown times

    @Test
    void terminateChild_onAnotherNode_killsAChildThatOutlastsItsShutdownTime() {
        DistributedSupervisorRef sup = DistributedSupervisor.start(a, specOnA().nodeSelector(NodeSelector.node(b.nodeId()))
                .child(DistributedChildSpec.of("slow", "slow", List.of()).withShutdown(Duration.ofMillis(300)))
                .build());
        GenServerRef slow = child(a, sup, "slow").ref().orElseThrow();
        long t0 = System.nanoTime();
        onVoid(c, () -> DistributedSupervisor.terminateChild(sup, "slow"));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(b.isRunning(slow)).isFalse();
        assertThat(took).as("killed after its 300 ms, not after its 20 s terminate").isLessThan(Duration.ofSeconds(5));
    }

    // ================================================================== selectors

    @Test
    void localFirst_placesOnTheSupervisorsNode_andRandom_spreadsOverLiveNodesOnly() {
        DistributedSupervisorSpec.Builder local = DistributedSupervisorSpec.builder().nodeSelector(NodeSelector.localFirst());
        DistributedSupervisorSpec.Builder random = DistributedSupervisorSpec.builder().nodeSelector(NodeSelector.random());
        for (int i = 0; i < 30; i++) {
            local.child(DistributedChildSpec.of("l" + i, "worker", List.of()));
            random.child(DistributedChildSpec.of("r" + i, "worker", List.of()));
        }
        DistributedSupervisorRef l = DistributedSupervisor.start(b, local.build());
        assertThat(children(b, l)).extracting(DistributedChildInfo::nodeId).containsOnly(b.nodeId());
        ClusterMembership.of(c).stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> !ClusterMembership.of(a).isNodeConnected(c.nodeId()));
        DistributedSupervisorRef r = DistributedSupervisor.start(a, random.build());
        // 30 draws from two nodes all landing on one has probability 2^-29.
        assertThat(children(a, r)).extracting(DistributedChildInfo::nodeId).containsOnly(a.nodeId(), b.nodeId())
                .contains(a.nodeId(), b.nodeId());
    }

    // ================================================================== bad input

    @Test
    void anUnregisteredBehavior_failsStartChild_namingTheBehaviorAndTheNode_andTheSupervisorKeepsRunning() {
        DistributedSupervisorRef sup = DistributedSupervisor.start(a, DistributedSupervisorSpec.builder()
                .nodeSelector(NodeSelector.node(c.nodeId())).build());
        assertThatThrownBy(() -> on(b, () -> DistributedSupervisor.startChild(sup,
                DistributedChildSpec.of("x", "no-such-behavior", List.of()))))
                .isInstanceOf(DistributedSupervisorException.class)
                .hasMessageContaining("no-such-behavior").hasMessageContaining(c.nodeId().toString())
                .satisfies(e -> assertThat(((DistributedSupervisorException) e).childId()).isEqualTo("x"));
        assertThat(a.isRunning(sup.ref())).isTrue();
        assertThat(children(a, sup)).isEmpty();
        assertThat(c.processCount()).isZero();
    }

    @Test
    void anInitialChildThatCannotStart_failsTheSupervisorsStart_andLeavesNoChildBehind() {
        assertThatThrownBy(() -> DistributedSupervisor.start(a, DistributedSupervisorSpec.builder()
                .nodeSelector(NodeSelector.roundRobin())
                .child(DistributedChildSpec.of("ok1", "worker", List.of()))
                .child(DistributedChildSpec.of("ok2", "worker", List.of()))
                .child(DistributedChildSpec.of("bad", "nope", List.of())).build()))
                .hasMessageContaining("nope").hasMessageContaining("'bad'");
        await().atMost(Duration.ofSeconds(5)).until(() -> a.processCount() + b.processCount() + c.processCount() == 0);
    }

    @Test
    void selectorsNamingAnUnknownOrDownNode_orThrowing_orReturningNull_areRefused_andTheSupervisorKeepsRunning() {
        DistributedSupervisorRef sup = DistributedSupervisor.start(a, DistributedSupervisorSpec.builder().build());
        NodeId down = c.nodeId();
        ClusterMembership.of(c).stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> !ClusterMembership.of(a).isNodeConnected(down));

        assertThatThrownBy(() -> on(a, () -> DistributedSupervisor.startChild(sup,
                DistributedChildSpec.of("d", "worker", List.of()).withNodeSelector(NodeSelector.node(down)))))
                .isInstanceOf(DistributedSupervisorException.class)
                .hasMessageContaining(down.toString()).hasMessageContaining("not a live member");
        NodeId ghost = NodeId.parse("ghost@127.0.0.1:9");
        assertThatThrownBy(() -> on(a, () -> DistributedSupervisor.startChild(sup,
                DistributedChildSpec.of("g", "worker", List.of()).withNodeSelector(NodeSelector.node(ghost)))))
                .isInstanceOf(DistributedSupervisorException.class).hasMessageContaining("ghost@127.0.0.1:9");
        assertThatThrownBy(() -> on(a, () -> DistributedSupervisor.startChild(sup,
                DistributedChildSpec.of("t", "worker", List.of()).withNodeSelector((id, cands) -> {
                    throw new IllegalStateException("selector bug");
                }))))
                .isInstanceOf(DistributedSupervisorException.class).hasMessageContaining("selector threw")
                .hasMessageContaining("selector bug");
        assertThatThrownBy(() -> on(a, () -> DistributedSupervisor.startChild(sup,
                DistributedChildSpec.of("n", "worker", List.of()).withNodeSelector((id, cands) -> null))))
                .isInstanceOf(DistributedSupervisorException.class).hasMessageContaining("chose null");
        // A child with its own selector (a lambda) cannot travel: refused before anything is sent.
        assertThatThrownBy(() -> on(b, () -> DistributedSupervisor.startChild(sup,
                DistributedChildSpec.of("r", "worker", List.of()).withNodeSelector(NodeSelector.localFirst()))))
                .isInstanceOf(DistributedSupervisorException.class).hasMessageContaining("supervisor's node");

        assertThat(a.isRunning(sup.ref())).isTrue();
        GenServerRef fine = on(b, () -> DistributedSupervisor.startChild(sup, DistributedChildSpec.of("fine", "worker", List.of())));
        assertThat(children(a, sup)).extracting(DistributedChildInfo::id).containsExactly("fine");
        assertThat(a.isRunning(fine)).isTrue();
    }

    @Test
    void duplicateChildIds_unknownIds_andRestartingARunningChild_areRefused() {
        DistributedSupervisorRef sup = DistributedSupervisor.start(a, DistributedSupervisorSpec.builder()
                .nodeSelector(NodeSelector.node(b.nodeId()))
                .child(DistributedChildSpec.of("dup", "worker", List.of())).build());
        GenServerRef first = child(a, sup, "dup").ref().orElseThrow();
        assertThatThrownBy(() -> on(c, () -> DistributedSupervisor.startChild(sup, DistributedChildSpec.of("dup", "worker", List.of()))))
                .isInstanceOf(DistributedSupervisorException.class).hasMessageContaining("child id 'dup' already exists");
        assertThatThrownBy(() -> onVoid(c, () -> DistributedSupervisor.terminateChild(sup, "nobody")))
                .isInstanceOf(DistributedSupervisorException.class).hasMessageContaining("no child with id 'nobody'");
        assertThatThrownBy(() -> on(c, () -> DistributedSupervisor.restartChild(sup, "dup")))
                .isInstanceOf(DistributedSupervisorException.class).hasMessageContaining("'dup' is running");
        assertThat(children(a, sup)).singleElement().satisfies(k -> assertThat(k.ref()).contains(first));
        assertThat(b.processCount()).isEqualTo(1);
    }

    @Test
    void operationsOnAStoppedSupervisor_failClearly_fromItsNodeAndFromOthers() {
        DistributedSupervisorRef sup = DistributedSupervisor.start(a, DistributedSupervisorSpec.builder().build());
        onVoid(a, () -> DistributedSupervisor.stop(sup));
        for (Node from : List.of(a, b)) {
            assertThatThrownBy(() -> on(from, () -> DistributedSupervisor.startChild(sup,
                    DistributedChildSpec.of("late", "worker", List.of()))))
                    .isInstanceOf(DistributedSupervisorException.class)
                    .hasMessageContaining("distributed supervisor " + sup.ref()).hasMessageContaining("is not running");
            assertThatThrownBy(() -> children(from, sup)).isInstanceOf(DistributedSupervisorException.class);
        }
        assertThat(a.processCount() + b.processCount() + c.processCount()).isZero();
    }
}
