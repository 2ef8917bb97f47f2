package io.noex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.noex.time.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NodeLeakCheck.class)
@Timeout(60)
class SupervisorTest {

    /** Records its lifecycle in a shared log: "start:id", "stop:id". */
    record Worker(String id, LinkedBlockingQueue<String> log) implements GenServerBehavior<String> {
        @Override
        public String init(List<Object> args) {
            if (args.contains("fail-init")) {
                throw new IllegalStateException("init refuses");
            }
            log.add("start:" + id + (args.isEmpty() ? "" : ":" + args));
            return id;
        }

        @Override
        public CallResult<String> handleCall(Object msg, String state) {
            return CallResult.reply(state, state);
        }

        @Override
        public String handleCast(Object msg, String state) {
            switch ((String) msg) {
                case "crash" -> throw new IllegalStateException("crash " + id);
                case "finish" -> GenServer.stop(GenServer.self(), ExitReason.normal());
                default -> {
                }
            }
            return state;
        }

        @Override
        public void terminate(ExitReason reason, String state) {
            log.add("stop:" + id);
        }
    }

    private final LinkedBlockingQueue<String> log = new LinkedBlockingQueue<>();

    private ChildSpec worker(String id) {
        return ChildSpec.worker(id, new Worker(id, log)).build();
    }

    private ChildSpec worker(String id, RestartType restart) {
        return ChildSpec.worker(id, new Worker(id, log)).restart(restart).build();
    }

    private List<String> take(int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String e = log.poll(5, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("only " + out + " within 5 s, expected " + n + " events");
            }
            out.add(e);
        }
        return out;
    }

    private static Map<String, GenServerRef> children(Node node, GenServerRef sup) {
        return node.supervisors().whichChildren(sup).stream()
                .filter(c -> c.ref().isPresent())
                .collect(Collectors.toMap(ChildInfo::id, c -> c.ref().get()));
    }

    private GenServerRef startSupervisor(Node node, SupervisorStrategy strategy, String... ids) throws Exception {
        SupervisorSpec.Builder b = SupervisorSpec.builder().strategy(strategy);
        for (String id : ids) {
            b.child(worker(id));
        }
        GenServerRef sup = node.supervisors().start(b.build());
        take(ids.length);
        return sup;
    }

    @Test
    void start_startsChildrenInOrder_andStopStopsThemInReverse(Node node) throws Exception {
        GenServerRef sup = node.supervisors().start(SupervisorSpec.builder()
                .child(worker("a")).child(worker("b")).child(worker("c")).build());
        assertThat(take(3)).containsExactly("start:a", "start:b", "start:c");
        assertThat(node.supervisors().countChildren(sup)).isEqualTo(new ChildCounts(3, 3, 0, 3));
        node.supervisors().stop(sup);
        assertThat(take(3)).containsExactly("stop:c", "stop:b", "stop:a");
        assertThat(node.processCount()).isZero();
    }

    @Test
    void oneForOne_restartsOnlyTheChildThatDied(Node node) throws Exception {
        GenServerRef sup = startSupervisor(node, SupervisorStrategy.ONE_FOR_ONE, "a", "b", "c");
        Map<String, GenServerRef> before = children(node, sup);
        node.cast(before.get("b"), "crash");
        assertThat(take(2)).containsExactly("stop:b", "start:b");
        Map<String, GenServerRef> after = children(node, sup);
        assertThat(after.get("a")).isEqualTo(before.get("a"));
        assertThat(after.get("c")).isEqualTo(before.get("c"));
        assertThat(after.get("b")).isNotEqualTo(before.get("b"));
        assertThat(node.<String>call(after.get("b"), "ping")).isEqualTo("b");
        assertThat(node.supervisors().whichChildren(sup).get(1).restartCount()).isEqualTo(1);
    }

    @Test
    void oneForAll_stopsTheOthersInReverse_thenRestartsAllInOrder(Node node) throws Exception {
        GenServerRef sup = startSupervisor(node, SupervisorStrategy.ONE_FOR_ALL, "a", "b", "c");
        Map<String, GenServerRef> before = children(node, sup);
        node.cast(before.get("b"), "crash");
        assertThat(take(6)).containsExactly("stop:b", "stop:c", "stop:a", "start:a", "start:b", "start:c");
        Map<String, GenServerRef> after = children(node, sup);
        assertThat(after.values()).doesNotContainAnyElementsOf(before.values());
    }

    @Test
    void restForOne_restartsTheDeadChildAndThoseStartedAfterIt(Node node) throws Exception {
        GenServerRef sup = startSupervisor(node, SupervisorStrategy.REST_FOR_ONE, "a", "b", "c", "d");
        Map<String, GenServerRef> before = children(node, sup);
        node.cast(before.get("b"), "crash");
        assertThat(take(6)).containsExactly("stop:b", "stop:d", "stop:c", "start:b", "start:c", "start:d");
        Map<String, GenServerRef> after = children(node, sup);
        assertThat(after.get("a")).isEqualTo(before.get("a"));
        assertThat(after.get("b")).isNotEqualTo(before.get("b"));
        assertThat(after.get("d")).isNotEqualTo(before.get("d"));
    }

    @Test
    void simpleOneForOne_startsDynamicChildrenFromTheTemplate_andRestartsEachAlone(Node node) throws Exception {
        GenServerRef sup = node.supervisors().start(SupervisorSpec.builder()
                .strategy(SupervisorStrategy.SIMPLE_ONE_FOR_ONE)
                .child(ChildSpec.worker("conn", new Worker("conn", log)).args(List.of("base")).build())
                .build());
        GenServerRef c1 = node.supervisors().startChild(sup, List.of(1));
        GenServerRef c2 = node.supervisors().startChild(sup, List.of(2));
        assertThat(take(2)).containsExactly("start:conn:[base, 1]", "start:conn:[base, 2]");
        node.cast(c1, "crash");
        assertThat(take(2)).containsExactly("stop:conn", "start:conn:[base, 1]");
        assertThat(node.isRunning(c2)).isTrue();
        assertThat(node.supervisors().countChildren(sup).active()).isEqualTo(2);
        node.supervisors().terminateChild(sup, c2.id());
        assertThat(take(1)).containsExactly("stop:conn");
        assertThat(node.supervisors().countChildren(sup).specs()).isEqualTo(1);
        assertThatThrownBy(() -> node.supervisors().startChild(sup, worker("x")))
                .isInstanceOfSatisfying(SupervisorException.class,
                        e -> assertThat(e.problem()).isEqualTo(SupervisorException.Problem.WRONG_STRATEGY));
    }

    @Test
    void restartTypes_permanentAlways_transientOnlyOnError_temporaryNever(Node node) throws Exception {
        GenServerRef sup = node.supervisors().start(SupervisorSpec.builder()
                .restartIntensity(10, Duration.ofSeconds(5))
                .child(worker("p", RestartType.PERMANENT))
                .child(worker("t", RestartType.TRANSIENT))
                .child(worker("x", RestartType.TEMPORARY))
                .build());
        take(3);
        Map<String, GenServerRef> refs = children(node, sup);
        node.cast(refs.get("p"), "finish");
        assertThat(take(2)).containsExactly("stop:p", "start:p");
        node.cast(refs.get("t"), "finish");
        assertThat(take(1)).containsExactly("stop:t");
        node.cast(refs.get("x"), "crash");
        assertThat(take(1)).containsExactly("stop:x");
        await().atMost(Duration.ofSeconds(5)).until(() -> node.supervisors().countChildren(sup).specs() == 2);
        assertThat(node.supervisors().countChildren(sup).active()).isEqualTo(1);
        GenServerRef t2 = node.supervisors().restartChild(sup, "t");
        node.cast(t2, "crash");
        assertThat(take(3)).containsExactly("start:t", "stop:t", "start:t");
    }

    @Test
    void restartIntensityExceeded_stopsTheChildrenAndExitsWithAClearReason(Node node) throws Exception {
        Probe watcher = new Probe();
        GenServerRef w = node.start(watcher);
        GenServerRef sup = node.supervisors().start(SupervisorSpec.builder()
                .restartIntensity(2, Duration.ofSeconds(30))
                .child(worker("flaky")).child(worker("steady")).build());
        take(2);
        node.monitor(w, sup);
        for (int i = 0; i < 2; i++) {
            node.cast(children(node, sup).get("flaky"), "crash");
            assertThat(take(2)).containsExactly("stop:flaky", "start:flaky");
        }
        node.cast(children(node, sup).get("flaky"), "crash");
        Down down = watcher.next(Down.class);
        assertThat(down.reason()).isInstanceOfSatisfying(ExitReason.Error.class,
                e -> assertThat(e.message()).contains("maximum restart intensity").contains("2 restarts"));
        assertThat(take(2)).containsExactly("stop:flaky", "stop:steady");
        assertThat(node.processCount()).isEqualTo(1);
    }

    @Test
    void restartIntensity_countsOnlyRestartsInsideTheWindow() throws Exception {
        ManualScheduler time = new ManualScheduler();
        try (Node node = Node.builder().name("intensity").scheduler(time).build()) {
            GenServerRef sup = node.supervisors().start(SupervisorSpec.builder()
                    .restartIntensity(1, Duration.ofSeconds(5)).child(worker("w")).build());
            take(1);
            for (int i = 0; i < 5; i++) {
                node.cast(children(node, sup).get("w"), "crash");
                assertThat(take(2)).containsExactly("stop:w", "start:w");
                time.advance(Duration.ofSeconds(6));
            }
            assertThat(node.isRunning(sup)).isTrue();
        }
    }

    @Test
    void shutdownTimeout_killsAChildWhoseTerminateHangs(Node node) {
        GenServerRef sup = node.supervisors().start(SupervisorSpec.builder()
                .child(ChildSpec.worker("hang", new GenServerTest.HangingTerminate())
                        .shutdown(Duration.ofMillis(200)).build())
                .build());
        long t0 = System.nanoTime();
        node.supervisors().stop(sup);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(150L, 5_000L);
        assertThat(node.processCount()).isZero();
    }

    @Test
    void brutalKill_skipsTerminate(Node node) throws Exception {
        GenServerRef sup = node.supervisors().start(SupervisorSpec.builder()
                .child(ChildSpec.worker("b", new Worker("b", log)).shutdown(ChildSpec.BRUTAL_KILL).build())
                .build());
        take(1);
        node.supervisors().stop(sup);
        assertThat(log.poll(100, TimeUnit.MILLISECONDS)).isNull();
        assertThat(node.processCount()).isZero();
    }

    @Test
    void childOperations_terminateRestartDelete_andTheirErrors(Node node) throws Exception {
        GenServerRef sup = startSupervisor(node, SupervisorStrategy.ONE_FOR_ONE, "a");
        GenServerRef b = node.supervisors().startChild(sup, worker("b"));
        assertThat(take(1)).containsExactly("start:b");
        assertThatThrownBy(() -> node.supervisors().startChild(sup, worker("b")))
                .isInstanceOfSatisfying(SupervisorException.class,
                        e -> assertThat(e.problem()).isEqualTo(SupervisorException.Problem.DUPLICATE_CHILD_ID));
        assertThatThrownBy(() -> node.supervisors().deleteChild(sup, "b"))
                .isInstanceOfSatisfying(SupervisorException.class,
                        e -> assertThat(e.problem()).isEqualTo(SupervisorException.Problem.CHILD_RUNNING));
        node.supervisors().terminateChild(sup, "b");
        assertThat(take(1)).containsExactly("stop:b");
        assertThat(node.isRunning(b)).isFalse();
        GenServerRef b2 = node.supervisors().restartChild(sup, "b");
        assertThat(take(1)).containsExactly("start:b");
        assertThat(b2).isNotEqualTo(b);
        node.supervisors().terminateChild(sup, "b");
        take(1);
        node.supervisors().deleteChild(sup, "b");
        assertThat(node.supervisors().whichChildren(sup)).extracting(ChildInfo::id).containsExactly("a");
        assertThatThrownBy(() -> node.supervisors().terminateChild(sup, "zzz"))
                .isInstanceOfSatisfying(SupervisorException.class,
                        e -> assertThat(e.problem()).isEqualTo(SupervisorException.Problem.CHILD_NOT_FOUND));
        assertThat(node.isRunning(sup)).isTrue();
    }

    @Test
    void startChild_whoseInitFails_reportsItAndTheSupervisorKeepsRunning(Node node) throws Exception {
        GenServerRef sup = startSupervisor(node, SupervisorStrategy.ONE_FOR_ONE, "a");
        ChildSpec bad = ChildSpec.worker("bad", new Worker("bad", log)).args(List.of("fail-init")).build();
        assertThatThrownBy(() -> node.supervisors().startChild(sup, bad))
                .isInstanceOf(InitFailedException.class).hasMessageContaining("init refuses");
        assertThat(node.isRunning(sup)).isTrue();
        assertThat(node.supervisors().countChildren(sup).specs()).isEqualTo(1);
    }

    @Test
    void supervisorStart_whenAChildFails_stopsTheOnesStartedAndFails(Node node) throws Exception {
        ChildSpec bad = ChildSpec.worker("bad", new Worker("bad", log)).args(List.of("fail-init")).build();
        assertThatThrownBy(() -> node.supervisors().start(SupervisorSpec.builder()
                .child(worker("a")).child(bad).child(worker("c")).build()))
                .isInstanceOf(InitFailedException.class).hasMessageContaining("bad");
        assertThat(take(2)).containsExactly("start:a", "stop:a");
        assertThat(node.processCount()).isZero();
    }

    @Test
    void nestedSupervisors_restartASubtree_andStopTopDown(Node node) throws Exception {
        SupervisorSpec inner = SupervisorSpec.builder().child(worker("x")).child(worker("y")).build();
        GenServerRef top = node.supervisors().start(SupervisorSpec.builder()
                .child(worker("a"))
                .child(ChildSpec.supervisor("inner", inner).build())
                .build());
        assertThat(take(3)).containsExactly("start:a", "start:x", "start:y");
        GenServerRef innerRef = children(node, top).get("inner");
        node.kill(innerRef);
        // The inner supervisor was killed: its linked children die with it (no terminate), then
        // the top supervisor restarts the whole subtree.
        assertThat(take(2)).containsExactly("start:x", "start:y");
        assertThat(children(node, top).get("inner")).isNotEqualTo(innerRef);
        node.supervisors().stop(top);
        assertThat(take(3)).containsExactly("stop:y", "stop:x", "stop:a");
    }

    @Test
    void facade_resolvesTheCurrentNode() throws Exception {
        GenServerRef sup = Supervisor.start(SupervisorSpec.builder().child(worker("f")).build());
        try {
            take(1);
            assertThat(sup.nodeId()).isEqualTo(Node.defaultNode().nodeId());
            assertThat(Supervisor.whichChildren(sup)).hasSize(1);
        } finally {
            Supervisor.stop(sup);
        }
        assertThat(take(1)).containsExactly("stop:f");
    }

    @Test
    void specValidation_namesTheField() {
        assertThatThrownBy(() -> SupervisorSpec.builder().restartIntensity(-1, Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRestarts");
        assertThatThrownBy(() -> SupervisorSpec.builder().child(worker("a")).child(worker("a")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate child id 'a'");
        assertThatThrownBy(() -> SupervisorSpec.builder().strategy(SupervisorStrategy.SIMPLE_ONE_FOR_ONE).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> ChildSpec.worker(" ", new Worker("a", log)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("child id");
        Function<SupervisorSpec, Integer> max = SupervisorSpec::maxRestarts;
        assertThat(max.apply(SupervisorSpec.builder().build())).isEqualTo(3);
        assertThat(SupervisorSpec.builder().build().restartWindow()).isEqualTo(Duration.ofSeconds(5));
    }
}
