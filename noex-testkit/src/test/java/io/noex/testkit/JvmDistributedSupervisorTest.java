package io.noex.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.distribution.BehaviorRegistry;
import io.noex.distribution.ClusterConfig;
import io.noex.distribution.ClusterMembership;
import io.noex.distribution.DistributedChildInfo;
import io.noex.distribution.DistributedChildSpec;
import io.noex.distribution.DistributedSupervisor;
import io.noex.distribution.DistributedSupervisorEvent;
import io.noex.distribution.DistributedSupervisorRef;
import io.noex.distribution.DistributedSupervisorSpec;
import io.noex.distribution.NodeDownReason;
import io.noex.distribution.NodeSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failover of a DistributedSupervisor's children across separate JVMs: three worker nodes, each
 * its own JVM ({@link WorkerNodeSetup}), and the supervisor on a clustered node in this JVM, which
 * follows the events and calls the children. One worker JVM is killed with {@code kill -9}.
 *
 * <p>Heartbeats: the defaults, 1 s x 3. A {@code kill -9} is detected by the connection closing
 * (milliseconds, whatever the heartbeat settings), and the children move at once (no fencing
 * delay: the node is known dead), so the heartbeat only decides how soon a node that stalls
 * would be taken for dead; 3 s keeps this test free of false alarms on a loaded 2-core machine.
 *
 * <p>Figures are printed on lines starting with {@code NOEX-MEASURE}. The 1,000-child run repeats
 * {@code -Dnoex.failover.runs=N} times (default 1) and prints each run and the median;
 * {@code -Dnoex.failover.children=N} sets the number of children (default 1,000) and
 * {@code -Dnoex.failover.allOnVictim=true} places them all on the JVM that is killed.
 */
@Timeout(300)
class JvmDistributedSupervisorTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final JvmCluster cluster = JvmCluster.create();

    private Node t;
    private final TrackedWorker tWorkers = new TrackedWorker();
    private final Map<NodeId, Long> downAt = new ConcurrentHashMap<>();

    @AfterEach
    void stopTheSupervisorsNode() {
        if (t != null) {
            ClusterMembership.of(t).stop();
            t.close();
        }
    }

    /** The supervisor's node t in this JVM, then worker JVMs a, b, c, all meshed; heartbeats 1 s x 3. */
    private List<JvmNode> threeWorkerJvms() {
        return threeWorkerJvms(Duration.ofSeconds(1), 3);
    }

    private List<JvmNode> threeWorkerJvms(Duration heartbeat, int missThreshold) {
        t = Node.create("t");
        BehaviorRegistry.register(t, "worker", tWorkers);
        ClusterMembership m = ClusterMembership.of(t);
        m.start(ClusterConfig.builder().nodeName("t").host("127.0.0.1").port(0)
                .heartbeatInterval(heartbeat).heartbeatMissThreshold(missThreshold).build());
        m.onNodeDown((id, reason) -> downAt.putIfAbsent(id, System.nanoTime()));
        JvmNodeOptions options = JvmNodeOptions.builder().seeds(m.localNodeId()).setup(WorkerNodeSetup.class)
                .heartbeatInterval(heartbeat).heartbeatMissThreshold(missThreshold)
                .reconnectBaseDelay(Duration.ofMillis(200)).reconnectMaxDelay(Duration.ofSeconds(1)).build();
        List<JvmNode> nodes = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            nodes.add(cluster.start(name, options));
        }
        awaitMesh(nodes);
        return nodes;
    }

    private void awaitMesh(List<JvmNode> nodes) {
        for (JvmNode n : nodes) {
            for (JvmNode other : nodes) {
                if (other != n) {
                    n.awaitEvent(NodeEvent.up(other.nodeId()), WAIT);
                }
            }
        }
        boolean meshed = Poll.until(() -> nodes.stream().allMatch(n -> ClusterMembership.of(t).isNodeConnected(n.nodeId())), WAIT);
        assertThat(meshed).as("t is connected to every worker JVM").isTrue();
    }

    /** Round-robin over the worker JVMs: never on the supervisor's own node. */
    private NodeSelector workersOnly() {
        NodeSelector rr = NodeSelector.roundRobin();
        NodeId self = ClusterMembership.of(t).localNodeId();
        return (id, candidates) -> rr.select(id, candidates.stream().filter(i -> !i.id().equals(self)).toList());
    }

    private static List<String> live(JvmNode n) {
        String answer = n.command("live");
        return answer.isEmpty() ? List.of() : Arrays.asList(answer.split(","));
    }

    private static long ms(long fromNanos, long toNanos) {
        return Duration.ofNanos(toNanos - fromNanos).toMillis();
    }

    /** One failover: what was lost, and when each step was seen. */
    private record Failover(List<String> lost, long killedAt, long detectedAt, long allMigratedAt, long allCalledAt,
                            List<DistributedSupervisorEvent> events, DistributedSupervisorRef sup) {
    }

    /**
     * Starts a supervisor on t with {@code n} children over the worker JVMs, kills {@code victim}
     * with {@code kill -9}, and waits until each of its children was started elsewhere and
     * answered a call from t.
     */
    private Failover failover(int n, JvmNode victim, int maxRestarts) {
        return failover(n, victim, maxRestarts, workersOnly());
    }

    /** The victim while it is a candidate, else round-robin over the other worker JVMs. */
    private NodeSelector victimFirst(JvmNode victim) {
        NodeSelector others = workersOnly();
        return (id, candidates) -> candidates.stream().anyMatch(i -> i.id().equals(victim.nodeId()))
                ? victim.nodeId() : others.select(id, candidates);
    }

    private Failover failover(int n, JvmNode victim, int maxRestarts, NodeSelector selector) {
        List<DistributedSupervisorEvent> events = new CopyOnWriteArrayList<>();
        Map<String, Long> migratedAt = new ConcurrentHashMap<>();
        DistributedSupervisorSpec.Builder spec = DistributedSupervisorSpec.builder().nodeSelector(selector)
                .restartIntensity(maxRestarts, Duration.ofSeconds(60))
                .onLifecycleEvent(e -> {
                    if (e instanceof DistributedSupervisorEvent.ChildMigrated m) {
                        migratedAt.putIfAbsent(m.childId(), System.nanoTime());
                    }
                    events.add(e);
                });
        for (int i = 0; i < n; i++) {
            spec.child(DistributedChildSpec.of("w" + i, "worker", List.of("w" + i)));
        }
        DistributedSupervisorRef sup = DistributedSupervisor.start(t, spec.build());
        List<DistributedChildInfo> before = children(sup);
        List<String> lost = before.stream().filter(k -> k.nodeId().equals(victim.nodeId())).map(DistributedChildInfo::id).toList();
        assertThat(lost).isNotEmpty();
        downAt.remove(victim.nodeId());

        long killedAt = System.nanoTime();
        victim.kill9();
        boolean allMoved = Poll.until(() -> migratedAt.keySet().containsAll(lost), WAIT);
        assertThat(allMoved).as("every child of the killed node was started elsewhere; events: %s", events).isTrue();
        long allMigratedAt = lost.stream().mapToLong(migratedAt::get).max().orElseThrow();
        Map<String, GenServerRef> now = children(sup).stream()
                .collect(Collectors.toMap(DistributedChildInfo::id, k -> k.ref().orElseThrow()));
        // All at once, as their clients would: the time is the last answer's.
        Map<String, java.util.concurrent.CompletableFuture<List<Object>>> calls = new java.util.LinkedHashMap<>();
        for (String id : lost) {
            calls.put(id, t.callAsync(now.get(id), "who", Duration.ofSeconds(10)));
        }
        for (Map.Entry<String, java.util.concurrent.CompletableFuture<List<Object>>> c : calls.entrySet()) {
            List<Object> answer = c.getValue().join();
            assertThat(answer.get(0)).isEqualTo(c.getKey());
            assertThat(answer.get(1)).isNotEqualTo(victim.nodeId().toString());
        }
        long allCalledAt = System.nanoTime();
        Long detectedAt = downAt.get(victim.nodeId());
        assertThat(detectedAt).as("t saw the node go").isNotNull();
        return new Failover(lost, killedAt, detectedAt, allMigratedAt, allCalledAt, events, sup);
    }

    private List<DistributedChildInfo> children(DistributedSupervisorRef sup) {
        return InProcess.on(t, () -> DistributedSupervisor.getChildren(sup));
    }

    @Test
    void killNine_ofANodeWithChildren_restartsEachOfThemOnceElsewhere_callableWithinTwoSeconds() {
        List<JvmNode> workers = threeWorkerJvms();
        JvmNode victim = workers.get(0);
        // The intensity allows exactly the 4 lost children: were one counted twice, the supervisor would stop.
        Failover f = failover(12, victim, 4);

        assertThat(f.lost()).hasSize(4);
        System.out.printf("NOEX-MEASURE dsup failover, 12 children over 3 JVMs, kill -9 of one (%d children): "
                        + "kill->detected %d ms, kill->all migrated %d ms, kill->all callable %d ms, detected->all callable %d ms%n",
                f.lost().size(), ms(f.killedAt(), f.detectedAt()), ms(f.killedAt(), f.allMigratedAt()),
                ms(f.killedAt(), f.allCalledAt()), ms(f.detectedAt(), f.allCalledAt()));
        assertThat(Duration.ofNanos(f.allCalledAt() - f.detectedAt())).as("callable within 2 s of detection")
                .isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(Duration.ofNanos(f.allCalledAt() - f.killedAt())).as("callable within 2 s of the kill")
                .isLessThanOrEqualTo(Duration.ofSeconds(2));

        // Exactly once: one child_migrated each, one failure detected, no other restart.
        List<String> migrated = f.events().stream().filter(e -> e instanceof DistributedSupervisorEvent.ChildMigrated)
                .map(e -> ((DistributedSupervisorEvent.ChildMigrated) e).childId()).toList();
        assertThat(migrated).containsExactlyInAnyOrderElementsOf(f.lost());
        assertThat(f.events()).filteredOn(e -> e instanceof DistributedSupervisorEvent.NodeFailureDetected).singleElement()
                .isEqualTo(new DistributedSupervisorEvent.NodeFailureDetected(victim.nodeId(), f.lost()));
        assertThat(f.events()).noneMatch(e -> e instanceof DistributedSupervisorEvent.ChildRestarted
                || e instanceof DistributedSupervisorEvent.SupervisorStopped);
        List<DistributedChildInfo> kids = children(f.sup());
        assertThat(kids).allSatisfy(k -> {
            assertThat(k.ref()).isPresent();
            assertThat(k.nodeId()).isNotEqualTo(victim.nodeId());
            assertThat(k.restartCount()).isEqualTo(f.lost().contains(k.id()) ? 1 : 0);
        });
        // No duplicates anywhere: every surviving node, asked itself, holds each child at most
        // once, and together they hold each of the 12 exactly once, where the supervisor says.
        List<String> everywhere = new ArrayList<>();
        for (JvmNode n : workers.subList(1, 3)) {
            List<String> here = live(n);
            assertThat(here).doesNotHaveDuplicates();
            assertThat(here).containsExactlyInAnyOrderElementsOf(kids.stream()
                    .filter(k -> k.nodeId().equals(n.nodeId())).map(DistributedChildInfo::id).toList());
            everywhere.addAll(here);
        }
        assertThat(everywhere).hasSize(12).doesNotHaveDuplicates();
        assertThat(t.processCount()).as("t runs only the supervisor").isEqualTo(1);
    }

    @Test
    void killNine_ofTheSupervisorsNode_killsItsChildrenOnEveryOtherNode() {
        List<JvmNode> workers = threeWorkerJvms();
        JvmNode home = workers.get(0);
        home.command("supervise 12"); // round-robin over a, b, c and t: 3 each
        assertThat(live(workers.get(1))).hasSize(3);
        assertThat(live(workers.get(2))).hasSize(3);
        assertThat(tWorkers.liveIds(t)).hasSize(3);

        long killedAt = System.nanoTime();
        home.kill9();
        boolean gone = Poll.until(() -> live(workers.get(1)).isEmpty() && live(workers.get(2)).isEmpty()
                && tWorkers.liveIds(t).isEmpty(), WAIT);
        long goneAt = System.nanoTime();
        assertThat(gone).as("the fences killed the children of the dead supervisor on b, c and t").isTrue();
        System.out.printf("NOEX-MEASURE dsup fences: supervisor's JVM killed -> its 9 remote children gone: %d ms%n",
                ms(killedAt, goneAt));
        workers.get(1).awaitEvent(NodeEvent.down(home.nodeId(), NodeDownReason.CONNECTION_CLOSED), WAIT);
    }

    /**
     * A frozen JVM (SIGSTOP: alive, holding its sockets, running nothing, as in a long GC pause)
     * cannot run its heartbeat check, so its fences cannot fire while the supervisor's side moves
     * its children. When it resumes it learns it lost t (the connection t closed, or its own
     * heartbeat timeout) and kills them; and t, seeing it back in the same life, kills any old
     * copy left. Heartbeats 500 ms x 4: t gives up on the frozen node after 2 to 2.5 s and moves
     * its children 1.5 s later.
     */
    @Test
    void aFrozenNode_losesItsChildrenToTheOthers_andHoldsNoCopyOnceItResumes() {
        List<JvmNode> workers = threeWorkerJvms(Duration.ofMillis(500), 4);
        JvmNode frozen = workers.get(2);
        List<DistributedSupervisorEvent> events = new CopyOnWriteArrayList<>();
        DistributedSupervisorSpec.Builder spec = DistributedSupervisorSpec.builder().nodeSelector(workersOnly())
                .restartIntensity(4, Duration.ofSeconds(60)).onLifecycleEvent(events::add);
        for (int i = 0; i < 12; i++) {
            spec.child(DistributedChildSpec.of("w" + i, "worker", List.of("w" + i)));
        }
        DistributedSupervisorRef sup = DistributedSupervisor.start(t, spec.build());
        List<String> lost = children(sup).stream().filter(k -> k.nodeId().equals(frozen.nodeId()))
                .map(DistributedChildInfo::id).toList();
        assertThat(live(frozen)).containsExactlyInAnyOrderElementsOf(lost);

        long frozenAt = System.nanoTime();
        frozen.freeze();
        boolean moved = Poll.until(() -> events.stream().filter(e -> e instanceof DistributedSupervisorEvent.ChildMigrated)
                .count() == lost.size(), WAIT);
        assertThat(moved).as("the frozen node's children were started elsewhere; events: %s", events).isTrue();
        long movedAt = System.nanoTime();
        frozen.resume();
        boolean cleared = Poll.until(() -> live(frozen).isEmpty(), WAIT);
        long clearedAt = System.nanoTime();
        assertThat(cleared).as("the resumed node holds no old copy").isTrue();
        System.out.printf("NOEX-MEASURE dsup freeze: freeze -> %d children moved %d ms; resume -> old copies gone %d ms%n",
                lost.size(), ms(frozenAt, movedAt), ms(movedAt, clearedAt));

        List<DistributedChildInfo> kids = children(sup);
        assertThat(kids).allSatisfy(k -> assertThat(k.nodeId()).isNotEqualTo(frozen.nodeId()));
        List<String> everywhere = new ArrayList<>(live(frozen));
        everywhere.addAll(live(workers.get(0)));
        everywhere.addAll(live(workers.get(1)));
        assertThat(everywhere).hasSize(12).doesNotHaveDuplicates();
        assertThat(events).filteredOn(e -> e instanceof DistributedSupervisorEvent.ChildMigrated)
                .extracting(e -> ((DistributedSupervisorEvent.ChildMigrated) e).childId())
                .containsExactlyInAnyOrderElementsOf(lost);
    }

    @Test
    void failoverOfManyChildren_measured() {
        int runs = Integer.getInteger("noex.failover.runs", 1);
        int n = Integer.getInteger("noex.failover.children", 1000);
        boolean allOnVictim = Boolean.getBoolean("noex.failover.allOnVictim");
        List<JvmNode> workers = new ArrayList<>(threeWorkerJvms());
        List<Long> fromKill = new ArrayList<>();
        List<Long> fromDetection = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            int v = (run - 1) % 3;
            JvmNode victim = workers.get(v);
            Failover f = failover(n, victim, 2 * n, allOnVictim ? victimFirst(victim) : workersOnly());
            fromKill.add(ms(f.killedAt(), f.allCalledAt()));
            fromDetection.add(ms(f.detectedAt(), f.allCalledAt()));
            System.out.printf("NOEX-MEASURE dsup failover run %d/%d, %d children %s, kill -9 of one (%d children): "
                            + "kill->detected %d ms, kill->all migrated %d ms, kill->all callable %d ms, detected->all callable %d ms, "
                            + "load average %s%n",
                    run, runs, n, allOnVictim ? "all on the victim JVM" : "over 3 JVMs", f.lost().size(),
                    ms(f.killedAt(), f.detectedAt()), ms(f.killedAt(), f.allMigratedAt()),
                    ms(f.killedAt(), f.allCalledAt()), ms(f.detectedAt(), f.allCalledAt()), loadAverage());
            assertThat(children(f.sup())).allSatisfy(k -> assertThat(k.nodeId()).isNotEqualTo(victim.nodeId()));
            List<String> everywhere = new ArrayList<>();
            for (JvmNode w : workers) {
                if (w != victim) {
                    everywhere.addAll(live(w));
                }
            }
            assertThat(everywhere).hasSize(n).doesNotHaveDuplicates();
            if (run < runs) {
                InProcess.on(t, () -> {
                    DistributedSupervisor.stop(f.sup());
                    return true;
                });
                JvmNode back = cluster.restart(victim);
                workers.set(v, back);
                awaitMesh(workers);
            }
        }
        System.out.printf("NOEX-MEASURE dsup failover of %d children, median of %d runs: kill->all callable %d ms, "
                + "detected->all callable %d ms%n", n, runs, median(fromKill), median(fromDetection));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
