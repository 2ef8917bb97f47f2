package io.noex.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.StartOptions;
import io.noex.distribution.ConflictAction;
import io.noex.distribution.GlobalNames;
import io.noex.distribution.GlobalRegistryEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The coordination services across a network partition, with every node behind a fault proxy
 * ({@link LocalCluster.Builder#behindFaultProxies()}): four nodes, {@code a b | c d}. This test
 * shows, step by step, the behaviour {@code docs/consistency.md} describes; each step names the
 * section it checks. Heartbeats are 200 ms x 3 (a partition is detected after about 600 ms) and
 * redials start at 100 ms, so the sides meet again soon after the partition heals.
 */
@Timeout(120)
class CoordinationPartitionTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<String> SIDE_A = List.of("a", "b");
    private static final List<String> SIDE_B = List.of("c", "d");

    private final LocalCluster cluster = LocalCluster.builder().names("a", "b", "c", "d")
            .heartbeatInterval(Duration.ofMillis(200)).behindFaultProxies()
            .configure(c -> c.reconnectBaseDelay(Duration.ofMillis(100)).reconnectMaxDelay(Duration.ofMillis(500)))
            .start();
    private final CoordinationSetup.Recorder recorder = new CoordinationSetup.Recorder();

    @AfterEach
    void close() {
        cluster.close();
    }

    private Node node(String name) {
        return cluster.node(List.of("a", "b", "c", "d").indexOf(name));
    }

    private static GlobalNames names(Node n) {
        return GlobalNames.of(n);
    }

    private GenServerRef spawn(String on, boolean trapExit) {
        return node(on).start(recorder, StartOptions.builder().trapExit(trapExit).build());
    }

    /** Waits until each of {@code on} knows {@code name} as {@code expected}. */
    private void awaitOn(List<String> on, String name, Optional<GenServerRef> expected) {
        await().atMost(WAIT).untilAsserted(() -> {
            for (String n : on) {
                assertThat(names(node(n)).whereis(name)).as("%s on %s", name, n).isEqualTo(expected);
            }
        });
    }

    private void awaitEverywhere(String name, Optional<GenServerRef> expected) {
        awaitOn(List.of("a", "b", "c", "d"), name, expected);
    }

    /** Cuts a b from c d and waits until each side has reported the other down. */
    private void partition() {
        cluster.faults().partition(SIDE_A, SIDE_B);
        await().atMost(WAIT).until(() -> {
            for (String x : SIDE_A) {
                for (String y : SIDE_B) {
                    if (cluster.membership(List.of("a", "b", "c", "d").indexOf(x)).isNodeConnected(node(y).nodeId())
                            || cluster.membership(List.of("a", "b", "c", "d").indexOf(y)).isNodeConnected(node(x).nodeId())) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    private static List<GlobalRegistryEvent.ConflictResolved> conflicts(List<GlobalRegistryEvent> events) {
        return events.stream().filter(e -> e instanceof GlobalRegistryEvent.ConflictResolved)
                .map(e -> (GlobalRegistryEvent.ConflictResolved) e).toList();
    }

    private List<String> told(GenServerRef p) {
        return recorder.log(p);
    }

    @Test
    void namesOnBothSidesOfAPartition_convergeOnOneWinnerPerNameAfterItHeals_andEachLoserIsToldOnce() {
        cluster.awaitFullMesh(WAIT);
        List<GlobalRegistryEvent> eventsOnA = new CopyOnWriteArrayList<>();
        List<GlobalRegistryEvent> eventsOnB = new CopyOnWriteArrayList<>();
        List<GlobalRegistryEvent> eventsOnC = new CopyOnWriteArrayList<>();
        List<GlobalRegistryEvent> eventsOnD = new CopyOnWriteArrayList<>();
        names(node("a")).onEvent(eventsOnA::add);
        names(node("b")).onEvent(eventsOnB::add);
        names(node("c")).onEvent(eventsOnC::add);
        names(node("d")).onEvent(eventsOnD::add);

        // Normal operation: a registration is visible on every node.
        GenServerRef prePartition = spawn("a", true);
        names(node("a")).register("pre", prePartition);
        awaitEverywhere("pre", Optional.of(prePartition));
        GenServerRef onC = spawn("c", true);
        names(node("c")).register("c-pre", onC);
        awaitEverywhere("c-pre", Optional.of(onC));

        // During the partition: each side drops the names of the other side's processes ...
        partition();
        awaitOn(SIDE_A, "c-pre", Optional.empty());
        awaitOn(SIDE_B, "pre", Optional.empty());
        awaitOn(SIDE_A, "pre", Optional.of(prePartition));
        awaitOn(SIDE_B, "c-pre", Optional.of(onC));

        // ... and keeps registering on its own: the same names, on both sides (the same steps in the
        // same order, so that both registrations of a name carry the same stamp and the NodeId
        // decides; see "The rule").
        GenServerRef bothA = spawn("a", true);
        GenServerRef bothC = spawn("c", true);
        names(node("a")).register("both", bothA);
        names(node("c")).register("both", bothC);
        awaitOn(SIDE_A, "both", Optional.of(bothA));
        awaitOn(SIDE_B, "both", Optional.of(bothC));
        GenServerRef msgB = spawn("b", false);
        GenServerRef msgD = spawn("d", false);
        names(node("b")).register("both-msg", msgB, ConflictAction.MESSAGE);
        names(node("d")).register("both-msg", msgD, ConflictAction.MESSAGE);
        awaitOn(SIDE_A, "both-msg", Optional.of(msgB));
        awaitOn(SIDE_B, "both-msg", Optional.of(msgD));
        // The other side released "pre", so this side may take it.
        GenServerRef preD = spawn("d", true);
        names(node("d")).register("pre", preD);
        awaitOn(SIDE_B, "pre", Optional.of(preD));
        GenServerRef onlyA = spawn("a", false);
        names(node("a")).register("only-a", onlyA);
        awaitOn(SIDE_A, "only-a", Optional.of(onlyA));
        // A name this side does not know cannot be unregistered from here: false, nothing changes.
        assertThat(names(node("c")).unregister("only-a")).isFalse();
        assertThat(told(bothA)).isEmpty();
        assertThat(told(bothC)).isEmpty();

        // After the heal: one winner per name on every node, by the rule.
        cluster.faults().heal();
        cluster.awaitFullMesh(WAIT);
        awaitEverywhere("pre", Optional.of(prePartition));  // smaller stamp: registered before the partition
        awaitEverywhere("both", Optional.of(bothA));        // equal stamps: a@... sorts before c@...
        awaitEverywhere("both-msg", Optional.of(msgB));     // equal stamps: b@... sorts before d@...
        awaitEverywhere("c-pre", Optional.of(onC));         // no conflict: back on side A
        awaitEverywhere("only-a", Optional.of(onlyA));      // no conflict, and c's unregister changed nothing
        for (String n : List.of("a", "b", "c", "d")) {
            assertThat(names(node(n)).getNames()).as("names on %s", n)
                    .containsExactly("both", "both-msg", "c-pre", "only-a", "pre");
        }

        // Each loser is told once, by its own node; winners are told nothing.
        await().atMost(WAIT).until(() -> !told(bothC).isEmpty() && !told(msgD).isEmpty() && !told(preD).isEmpty());
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() ->
                told(bothC).size() == 1 && told(msgD).size() == 1 && told(preD).size() == 1);
        assertThat(told(bothC)).containsExactly("exit " + bothC + " error: lost the global name 'both' to " + bothA
                + " (concurrent registration)");
        assertThat(told(preD)).containsExactly("exit " + preD + " error: lost the global name 'pre' to " + prePartition
                + " (concurrent registration)");
        assertThat(told(msgD)).containsExactly("conflict both-msg " + msgB);
        assertThat(node("d").isRunning(msgD)).as("MESSAGE: the loser lives on").isTrue();
        assertThat(node("c").isRunning(bothC)).as("EXIT, trapped: the loser lives on").isTrue();
        for (GenServerRef winner : List.of(prePartition, bothA, msgB, onC, onlyA)) {
            assertThat(told(winner)).isEmpty();
        }

        // conflictResolved: once per name on the loser's own node (c for "both", d for the other
        // two); never on the nodes that held the winner (a and b). c and d also held the other's
        // loser: each saw it either replaced (conflictResolved) or released first by the loser's
        // node and the winner registered after (unregistered, registered), depending on which
        // message came first.
        await().atMost(WAIT).until(() -> conflicts(eventsOnC).contains(new GlobalRegistryEvent.ConflictResolved("both", bothA, bothC))
                && conflicts(eventsOnD).containsAll(List.of(new GlobalRegistryEvent.ConflictResolved("pre", prePartition, preD),
                        new GlobalRegistryEvent.ConflictResolved("both-msg", msgB, msgD))));
        assertThat(conflicts(eventsOnC)).filteredOn(e -> e.name().equals("both")).hasSize(1);
        assertThat(conflicts(eventsOnD)).filteredOn(e -> !e.name().equals("both")).hasSize(2);
        assertThat(conflicts(eventsOnC)).filteredOn(e -> !e.name().equals("both"))
                .allMatch(e -> e.name().equals("pre") ? e.loser().equals(preD) : e.loser().equals(msgD));
        assertThat(conflicts(eventsOnD)).filteredOn(e -> e.name().equals("both")).allMatch(e -> e.loser().equals(bothC));
        assertThat(conflicts(eventsOnA)).isEmpty();
        assertThat(conflicts(eventsOnB)).isEmpty();
        assertThat(eventsOnA).anyMatch(e -> e instanceof GlobalRegistryEvent.Synced s && s.from().equals(node("c").nodeId()));

        // The lost registrations are gone for good: the losers may exit, nothing changes.
        node("c").stop(bothC, ExitReason.shutdown());
        node("d").stop(msgD);
        awaitEverywhere("both", Optional.of(bothA));
        awaitEverywhere("both-msg", Optional.of(msgB));
    }

    @Test
    void monitorsAndLinksAcrossAPartition_deliverNoconnectionOnBothSides_once() {
        cluster.awaitFullMesh(WAIT);
        GenServerRef onC = spawn("c", false);
        GenServerRef linkedOnC = spawn("c", false);
        GenServerRef watcher = spawn("a", false);
        GenServerRef trapper = spawn("a", true);
        List<ExitReason> callbacks = new CopyOnWriteArrayList<>();
        node("a").monitor(onC, (r, reason) -> callbacks.add(reason));
        node("a").monitor(watcher, onC);
        node("a").link(trapper, linkedOnC);
        await().atMost(WAIT).until(() -> io.noex.distribution.RemoteMonitor.stats(node("c")).monitorsServed() == 2
                && io.noex.distribution.RemoteMonitor.stats(node("c")).links() == 1);

        partition();
        await().atMost(WAIT).until(() -> callbacks.size() == 1 && told(watcher).size() == 1 && told(trapper).size() == 1);
        assertThat(callbacks).containsExactly(ExitReason.noconnection());
        assertThat(told(watcher).getFirst()).startsWith("down ").endsWith(onC + " noconnection");
        assertThat(told(trapper)).containsExactly("exit " + linkedOnC + " noconnection");
        // The other side: c's linked process does not trap exits, so noconnection kills it.
        await().atMost(WAIT).until(() -> !node("c").isRunning(linkedOnC));
        assertThat(node("c").isRunning(onC)).isTrue();

        cluster.faults().heal();
        cluster.awaitFullMesh(WAIT);
        node("c").stop(onC);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> callbacks.size() == 1 && told(watcher).size() == 1);
        for (String n : List.of("a", "c")) {
            var s = io.noex.distribution.RemoteMonitor.stats(node(n));
            assertThat(s.monitorsHeld() + s.monitorsServed() + s.links()).as("remote tables of %s", n).isZero();
        }
    }
}
