package io.noex.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.distribution.BehaviorRegistry;
import io.noex.distribution.DistributedChildInfo;
import io.noex.distribution.DistributedChildSpec;
import io.noex.distribution.DistributedSupervisor;
import io.noex.distribution.DistributedSupervisorEvent;
import io.noex.distribution.DistributedSupervisorEvent.ChildMigrated;
import io.noex.distribution.DistributedSupervisorEvent.NodeFailureDetected;
import io.noex.distribution.DistributedSupervisorException;
import io.noex.distribution.DistributedSupervisorRef;
import io.noex.distribution.DistributedSupervisorSpec;
import io.noex.distribution.NodeSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A DistributedSupervisor across a network partition (three nodes in this JVM, each behind a
 * {@link FaultProxy} that black-holes the links between the two sides), and after it heals.
 *
 * <p>What is promised: the side with the supervisor keeps every child. The cut-off side kills its
 * fenced copies when it stops hearing the supervisor's node (its heartbeat timeout); the
 * supervisor starts replacements only after the fencing delay (two heartbeat intervals plus
 * max(interval, 500 ms)), by which time the old copies are dead. When the partition heals there is
 * exactly one copy of each child, and every node's calls reach it.
 *
 * <p>Heartbeats 200 ms x 5: a cut is noticed after 1 to 1.2 s, the fencing delay is 900 ms.
 */
@Timeout(120)
class DistributedSupervisorPartitionTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private LocalCluster cluster;
    private final List<TrackedWorker> workers = new ArrayList<>();
    private final List<DistributedSupervisorEvent> events = new CopyOnWriteArrayList<>();
    private final Map<String, Long> migratedAt = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        cluster = LocalCluster.builder().names("a", "b", "c").heartbeatInterval(Duration.ofMillis(200))
                .heartbeatMissThreshold(5)
                .configure(b -> b.reconnectBaseDelay(Duration.ofMillis(100)).reconnectMaxDelay(Duration.ofMillis(400)))
                .behindFaultProxies().start();
        for (int i = 0; i < 3; i++) {
            TrackedWorker w = new TrackedWorker();
            workers.add(w);
            BehaviorRegistry.register(cluster.node(i), "worker", w);
        }
        cluster.awaitFullMesh(WAIT);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** A supervisor on node a with 12 children, 4 on each node; the intensity allows {@code maxRestarts}. */
    private DistributedSupervisorRef twelveOnA(int maxRestarts) {
        DistributedSupervisorSpec.Builder spec = DistributedSupervisorSpec.builder().nodeSelector(NodeSelector.roundRobin())
                .restartIntensity(maxRestarts, Duration.ofSeconds(60))
                .onLifecycleEvent(e -> {
                    if (e instanceof ChildMigrated m) {
                        migratedAt.putIfAbsent(m.childId(), System.nanoTime());
                    }
                    events.add(e);
                });
        for (int i = 0; i < 12; i++) {
            spec.child(DistributedChildSpec.of("w" + i, "worker", List.of("w" + i)));
        }
        return DistributedSupervisor.start(cluster.node(0), spec.build());
    }

    private List<DistributedChildInfo> children(DistributedSupervisorRef sup) {
        return InProcess.on(cluster.node(0), () -> DistributedSupervisor.getChildren(sup));
    }

    /** Every live copy of every child, on every node, by child id (asked of each node itself). */
    private List<String> liveEverywhere() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.addAll(workers.get(i).liveIds(cluster.node(i)));
        }
        return all;
    }

    /** Watches each copy on node {@code i} die, from that node itself. */
    private Map<String, Long> watchDeaths(int i) {
        Map<String, Long> diedAt = new ConcurrentHashMap<>();
        Node n = cluster.node(i);
        for (Map.Entry<GenServerRef, String> e : workers.get(i).live(n).entrySet()) {
            n.monitor(e.getKey(), (ref, why) -> diedAt.putIfAbsent(e.getValue(), System.nanoTime()));
        }
        return diedAt;
    }

    private static List<String> idsOn(List<DistributedChildInfo> kids, NodeId node) {
        return kids.stream().filter(k -> k.nodeId().equals(node)).map(DistributedChildInfo::id).toList();
    }

    /** Each child answers a call from every node, and the copy that answers is the one the supervisor knows. */
    private void everyChildAnswersFromEveryNode(List<DistributedChildInfo> kids) {
        for (int i = 0; i < 3; i++) {
            Node from = cluster.node(i);
            for (DistributedChildInfo k : kids) {
                List<Object> answer = from.call(k.ref().orElseThrow(), "who", Duration.ofSeconds(5));
                assertThat(answer).containsExactly(k.id(), k.nodeId().toString());
            }
        }
    }

    private void assertOldCopiesDiedBeforeTheirReplacementsStarted(Map<String, Long> diedAt, List<String> lost, long cutAt) {
        await("the cut-off side killed its fenced copies").atMost(WAIT).until(() -> diedAt.keySet().containsAll(lost));
        long lastDeath = lost.stream().mapToLong(diedAt::get).max().orElseThrow();
        long firstStart = lost.stream().mapToLong(migratedAt::get).min().orElseThrow();
        System.out.printf("NOEX-MEASURE dsup partition: cut -> last old copy killed %d ms, cut -> first replacement %d ms,"
                        + " margin %d ms (%d children)%n", ms(cutAt, lastDeath), ms(cutAt, firstStart), ms(lastDeath, firstStart),
                lost.size());
        assertThat(lastDeath).as("every old copy was dead before the first replacement started").isLessThan(firstStart);
    }

    private static long ms(long from, long to) {
        return Duration.ofNanos(to - from).toMillis();
    }

    private List<String> migrated() {
        return events.stream().filter(e -> e instanceof ChildMigrated).map(e -> ((ChildMigrated) e).childId()).toList();
    }

    @Test
    void aChildNodeCutOff_theSupervisorsSideKeepsItsChildren_andAfterTheHealEachChildHasOneCopy() {
        DistributedSupervisorRef sup = twelveOnA(4); // exactly the 4 lost children: none may count twice
        NodeId c = cluster.nodeId(2);
        List<String> lost = idsOn(children(sup), c);
        assertThat(lost).hasSize(4);
        Map<String, Long> diedOnC = watchDeaths(2);

        long cutAt = System.nanoTime();
        cluster.faults().partition(List.of("c"), List.of("a", "b"));
        await("c's children started on the supervisor's side").atMost(WAIT).until(() -> migratedAt.keySet().containsAll(lost));
        assertOldCopiesDiedBeforeTheirReplacementsStarted(diedOnC, lost, cutAt);

        List<DistributedChildInfo> during = children(sup);
        assertThat(idsOn(during, c)).isEmpty();
        assertThat(workers.get(2).liveIds(cluster.node(2))).as("nothing left on the cut-off node").isEmpty();
        assertThat(liveEverywhere()).hasSize(12).doesNotHaveDuplicates();

        cluster.faults().heal();
        cluster.awaitFullMesh(WAIT);
        await("still one copy of each child, everywhere, a while after the heal").during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5)).until(() -> liveEverywhere().size() == 12);
        assertThat(liveEverywhere()).doesNotHaveDuplicates();
        List<DistributedChildInfo> after = children(sup);
        assertThat(after).extracting(DistributedChildInfo::restartCount)
                .containsExactlyElementsOf(after.stream().map(k -> lost.contains(k.id()) ? 1 : 0).toList());
        everyChildAnswersFromEveryNode(after);
        assertThat(migrated()).containsExactlyInAnyOrderElementsOf(lost);
        assertThat(events).filteredOn(e -> e instanceof NodeFailureDetected).singleElement()
                .isEqualTo(new NodeFailureDetected(c, lost));
        assertThat(events).noneMatch(e -> e instanceof DistributedSupervisorEvent.SupervisorStopped
                || e instanceof DistributedSupervisorEvent.ChildRestarted);
    }

    @Test
    void theSupervisorsNodeCutOff_keepsEveryChild_theOtherSideKillsItsCopies_andAfterTheHealEachChildHasOneCopy() {
        DistributedSupervisorRef sup = twelveOnA(8);
        List<DistributedChildInfo> before = children(sup);
        List<String> lost = new ArrayList<>(idsOn(before, cluster.nodeId(1)));
        lost.addAll(idsOn(before, cluster.nodeId(2)));
        assertThat(lost).hasSize(8);
        Map<String, Long> diedOnB = watchDeaths(1);
        Map<String, Long> diedOnC = watchDeaths(2);
        Map<String, Long> died = new ConcurrentHashMap<>();

        long cutAt = System.nanoTime();
        cluster.faults().partition(List.of("a"), List.of("b", "c"));
        await("b's and c's children started on a, the only node on the supervisor's side").atMost(WAIT)
                .until(() -> migratedAt.keySet().containsAll(lost));
        await().atMost(WAIT).until(() -> { // both maps fill from monitor callbacks
            died.putAll(diedOnB);
            died.putAll(diedOnC);
            return died.keySet().containsAll(lost);
        });
        assertOldCopiesDiedBeforeTheirReplacementsStarted(died, lost, cutAt);
        assertThat(children(sup)).extracting(DistributedChildInfo::nodeId).containsOnly(cluster.nodeId(0));
        assertThat(liveEverywhere()).hasSize(12).doesNotHaveDuplicates();

        cluster.faults().heal();
        cluster.awaitFullMesh(WAIT);
        await("still one copy of each child a while after the heal").during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5)).until(() -> liveEverywhere().size() == 12);
        assertThat(workers.get(0).liveIds(cluster.node(0))).hasSize(12).doesNotHaveDuplicates();
        everyChildAnswersFromEveryNode(children(sup));
        assertThat(migrated()).containsExactlyInAnyOrderElementsOf(lost);
        assertThat(events).filteredOn(e -> e instanceof NodeFailureDetected)
                .extracting(e -> ((NodeFailureDetected) e).node()).containsExactlyInAnyOrder(cluster.nodeId(1), cluster.nodeId(2));
    }

    @Test
    void aChildWaitingOutItsFencingDelay_cannotBeRestartedEarly_andOnceTerminatedIsNotBroughtBack() {
        DistributedSupervisorRef sup = twelveOnA(4);
        NodeId c = cluster.nodeId(2);
        List<DistributedChildInfo> before = children(sup);
        List<String> lost = idsOn(before, c);
        String terminated = lost.get(0);
        GenServerRef terminatedRef = before.stream().filter(k -> k.id().equals(terminated)).findFirst().orElseThrow()
                .ref().orElseThrow();
        String early = lost.get(1);

        cluster.faults().partition(List.of("c"), List.of("a", "b"));
        await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e instanceof NodeFailureDetected));
        // Within the 900 ms fencing delay: the old copies may still run on c.
        assertThatThrownBy(() -> InProcess.on(cluster.node(1), () -> DistributedSupervisor.restartChild(sup, early)))
                .isInstanceOf(DistributedSupervisorException.class)
                .hasMessageContaining("waiting to be started again after " + c);
        InProcess.on(cluster.node(1), () -> {
            DistributedSupervisor.terminateChild(sup, terminated);
            return true;
        });
        assertThat(migrated()).as("the fencing delay had not ended when the test acted").isEmpty();

        await().atMost(WAIT).until(() -> migrated().size() == 3);
        assertThat(migrated()).containsExactlyInAnyOrderElementsOf(lost.subList(1, 4));
        assertThat(events).contains(new DistributedSupervisorEvent.ChildStopped(terminated, terminatedRef, io.noex.ExitReason.shutdown()));
        cluster.faults().heal();
        cluster.awaitFullMesh(WAIT);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> liveEverywhere().size() == 11);
        assertThat(liveEverywhere()).doesNotContain(terminated).doesNotHaveDuplicates();
        assertThat(children(sup)).filteredOn(k -> k.id().equals(terminated)).singleElement()
                .satisfies(k -> assertThat(k.ref()).isEmpty());
    }
}
