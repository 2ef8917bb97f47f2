package io.noex.testkit;

import static io.noex.testkit.CoordinationSetup.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.noex.ExitReason;
import io.noex.GenServer;
import io.noex.GenServerRef;
import io.noex.MonitorRef;
import io.noex.Node;
import io.noex.StartOptions;
import io.noex.distribution.LinkHandle;
import io.noex.distribution.MonitorHandle;
import io.noex.distribution.RemoteLink;
import io.noex.distribution.RemoteMonitor;
import io.noex.distribution.RemoteSignalStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Remote monitors and links between the test JVM's node ({@code t}) and a node in a child JVM
 * ({@code b}), over TCP on 127.0.0.1: both monitor forms (the seed's callback with
 * {@code demonitor}, and {@code GenServer.monitor} delivering {@code Down} to {@code handleInfo}),
 * both link directions, and what a {@code kill -9} and a frozen JVM deliver. Heartbeats are the
 * defaults (1 s x 3), except in the frozen-JVM test (200 ms x 3, so the frozen node is reported
 * down after about 600 ms): shorter ones report false downs on a loaded 2-core machine, which
 * would fire monitors with {@code noconnection} mid-test.
 */
@Timeout(120)
class JvmRemoteSignalsTest {

    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration FAST_HEARTBEAT = Duration.ofMillis(200);
    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    final JvmCluster cluster = JvmCluster.create();
    @RegisterExtension
    final DefaultNodeMember member = new DefaultNodeMember();

    private final CoordinationSetup.Recorder recorder = new CoordinationSetup.Recorder();

    /** Starts b in its own JVM and the test node t joined to it. */
    private JvmNode startB() {
        return startB(HEARTBEAT);
    }

    private JvmNode startB(Duration heartbeat) {
        return cluster.start("b", JvmNodeOptions.builder().heartbeatInterval(heartbeat)
                .setup(CoordinationSetup.class).build());
    }

    private Node joinT(JvmNode b) {
        return joinT(b, HEARTBEAT);
    }

    private Node joinT(JvmNode b, Duration heartbeat) {
        Node t = member.join("t", heartbeat, b.nodeId());
        await().atMost(WAIT).until(() -> t.nodeId() != null && b.connectedNodes().contains(t.nodeId())
                && io.noex.distribution.Cluster.isNodeConnected(b.nodeId()));
        return t;
    }

    private static int stat(JvmNode n, String key) {
        for (String kv : n.command("stats").split(" ")) {
            if (kv.startsWith(key + "=")) {
                return Integer.parseInt(kv.substring(key.length() + 1));
            }
        }
        throw new AssertionError("no " + key + " in the stats of " + n.name());
    }

    private static List<String> infos(JvmNode n, GenServerRef ref) {
        String all = n.command("infos " + ref);
        return all.isEmpty() ? List.of() : Arrays.asList(all.split(" \\| "));
    }

    private List<String> localInfos(GenServerRef ref) {
        return recorder.log(ref);
    }

    @Test
    void bothMonitorForms_deliverTheRealReason_noprocForAMissingProcess_andStopWhenRemoved() {
        JvmNode b = startB();
        Node t = joinT(b);
        GenServerRef target = ref(b.command("spawn"));
        GenServerRef watcher = t.start(recorder);
        List<ExitReason> callbacks = new CopyOnWriteArrayList<>();
        MonitorHandle callbackForm = RemoteMonitor.monitor(target, (r, reason) -> callbacks.add(reason));
        MonitorRef processForm = GenServer.monitor(watcher, target);
        await().atMost(WAIT).until(() -> stat(b, "served") == 2);

        b.command("stop " + target + " crash");
        await().atMost(WAIT).until(() -> callbacks.size() == 1 && localInfos(watcher).size() == 1);
        assertThat(callbacks.getFirst()).isInstanceOfSatisfying(ExitReason.Error.class,
                e -> assertThat(e.message()).contains("crashed on purpose"));
        assertThat(localInfos(watcher).getFirst()).startsWith("down " + processForm.id() + " " + target + " error: ")
                .contains("crashed on purpose");
        assertThat(callbackForm.demonitor()).as("fired already").isFalse();

        // noproc: a process that does not exist on b.
        GenServerRef missing = new GenServerRef("<none.424242>", b.nodeId());
        RemoteMonitor.monitor(missing, (r, reason) -> callbacks.add(reason));
        MonitorRef m2 = GenServer.monitor(watcher, missing);
        await().atMost(WAIT).until(() -> callbacks.size() == 2 && localInfos(watcher).size() == 2);
        assertThat(callbacks.get(1)).isEqualTo(ExitReason.noproc());
        assertThat(localInfos(watcher).get(1)).isEqualTo("down " + m2.id() + " " + missing + " noproc");

        // demonitor / unsubscribe: nothing is delivered when the target exits afterwards.
        GenServerRef quiet = ref(b.command("spawn"));
        MonitorHandle h = RemoteMonitor.monitor(quiet, (r, reason) -> callbacks.add(reason));
        MonitorRef m3 = GenServer.monitor(watcher, quiet);
        await().atMost(WAIT).until(() -> stat(b, "served") == 2);
        assertThat(h.unsubscribe()).isTrue();
        assertThat(GenServer.demonitor(m3)).isTrue();
        await().atMost(WAIT).until(() -> stat(b, "served") == 0);
        b.command("stop " + quiet + " crash");
        await().atMost(WAIT).until(() -> b.command("alive " + quiet).equals("false"));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> callbacks.size() == 2 && localInfos(watcher).size() == 2);
        assertThat(RemoteMonitor.stats(t).monitorsHeld()).isZero();
        assertThat(t.stats().monitors()).isZero();
    }

    @Test
    void aProcessInTheChildJvm_monitorsAProcessOfTheTestJvm() {
        JvmNode b = startB();
        Node t = joinT(b);
        GenServerRef watcherOnB = ref(b.command("spawn"));
        GenServerRef targetOnT = t.start(recorder);
        String monitorId = b.command("monitor " + watcherOnB + " " + targetOnT);
        await().atMost(WAIT).until(() -> RemoteMonitor.stats(t).monitorsServed() == 1);
        t.stop(targetOnT, ExitReason.shutdown());
        await().atMost(WAIT).until(() -> infos(b, watcherOnB).contains("down " + monitorId + " " + targetOnT + " shutdown"));
        assertThat(RemoteMonitor.stats(t).monitorsServed()).isZero();
        assertThat(stat(b, "held")).isZero();
    }

    @Test
    void killingTheTargetsJvm_firesNoconnectionForEveryMonitor_inBothForms() {
        JvmNode b = startB();
        Node t = joinT(b);
        GenServerRef watcher = t.start(recorder);
        List<ExitReason> callbacks = new CopyOnWriteArrayList<>();
        List<Long> firedAt = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            GenServerRef target = ref(b.command("spawn"));
            RemoteMonitor.monitor(target, (r, reason) -> {
                firedAt.add(System.nanoTime());
                callbacks.add(reason);
            });
            GenServer.monitor(watcher, target);
        }
        await().atMost(WAIT).until(() -> stat(b, "served") == 10);
        long t0 = System.nanoTime();
        b.kill9();
        await().atMost(WAIT).until(() -> callbacks.size() == 5 && localInfos(watcher).size() == 5);
        long firedNanos = java.util.Collections.max(firedAt) - t0;
        assertThat(callbacks).containsOnly(ExitReason.noconnection());
        assertThat(localInfos(watcher)).allMatch(s -> s.startsWith("down ") && s.endsWith(" noconnection"));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> callbacks.size() == 5 && localInfos(watcher).size() == 5);
        assertThat(RemoteMonitor.stats(t).monitorsHeld()).isZero();
        System.out.printf("NOEX-MEASURE kill -9 of a JVM node to the last of 5 noconnection callbacks on a peer: %d ms%n",
                firedNanos / 1_000_000);
    }

    @Test
    void aFrozenJvm_firesNoconnectionWhenTheFailureDetectorGivesUp_andAMonitorAskedMeanwhileDoesNotHang() {
        JvmNode b = startB(FAST_HEARTBEAT);
        Node t = joinT(b, FAST_HEARTBEAT);
        GenServerRef watched = ref(b.command("spawn"));
        GenServerRef askedLater = ref(b.command("spawn"));
        List<ExitReason> callbacks = new CopyOnWriteArrayList<>();
        RemoteMonitor.monitor(watched, (r, reason) -> callbacks.add(reason));
        await().atMost(WAIT).until(() -> stat(b, "served") == 1);
        GenServerRef trapper = t.start(recorder, StartOptions.builder().trapExit(true).build());
        RemoteLink.link(trapper, watched);
        await().atMost(WAIT).until(() -> RemoteMonitor.stats(t).links() == 1);

        b.freeze(); // it keeps its sockets open and answers nothing, as a node cut off by a partition
        try {
            long t0 = System.nanoTime();
            // b is still a connected member here: the monitor is set up, without waiting for b.
            MonitorHandle h = RemoteMonitor.monitor(askedLater, (r, reason) -> callbacks.add(reason));
            assertThat(h).isNotNull();
            // Returned without waiting for b, nor for the failure detector (which fires both monitors).
            assertThat(callbacks).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
            await().atMost(WAIT).until(() -> callbacks.size() == 2);
            long firedMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(callbacks).containsOnly(ExitReason.noconnection());
            await().atMost(WAIT).until(() -> localInfos(trapper).contains("exit " + watched + " noconnection"));
            assertThat(t.isRunning(trapper)).isTrue();
            assertThat(RemoteMonitor.stats(t)).isEqualTo(new RemoteSignalStats(0, 0, 0, RemoteMonitor.stats(t).ignoredSignals()));
            System.out.printf("NOEX-MEASURE freeze of a JVM node (heartbeats %d ms x 3) to noconnection on a peer: %d ms%n",
                    FAST_HEARTBEAT.toMillis(), firedMillis);
        } finally {
            b.resume();
        }
    }

    @Test
    void aMonitorSetUpWhileItsTargetDies_firesExactlyOnce() {
        JvmNode b = startB();
        Node t = joinT(b);
        Map<String, Integer> reasons = new TreeMap<>();
        for (int round = 0; round < 5; round++) {
            GenServerRef watcher = t.start(recorder);
            // 200 processes on b, killed one by one over 60 ms from 5 ms after they start, while t
            // monitors each of them in both forms: monitors meet live, dying and dead targets.
            List<GenServerRef> doomed = Arrays.stream(b.command("spawn-doomed 200 5 60").split(" "))
                    .map(CoordinationSetup::ref).toList();
            Map<GenServerRef, List<ExitReason>> callbacks = new ConcurrentHashMap<>();
            Map<Long, GenServerRef> processMonitors = new ConcurrentHashMap<>();
            for (GenServerRef d : doomed) {
                List<ExitReason> seen = new CopyOnWriteArrayList<>();
                callbacks.put(d, seen);
                RemoteMonitor.monitor(d, (r, reason) -> seen.add(reason));
                processMonitors.put(GenServer.monitor(watcher, d).id(), d);
            }
            await().atMost(WAIT).until(() -> callbacks.values().stream().allMatch(l -> !l.isEmpty())
                    && downsPerMonitor(watcher).keySet().containsAll(processMonitors.keySet()));
            // Exactly once: nothing more arrives.
            await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> callbacks.values().stream().allMatch(l -> l.size() == 1)
                    && downsPerMonitor(watcher).values().stream().allMatch(n -> n == 1));
            for (List<ExitReason> l : callbacks.values()) {
                assertThat(l.getFirst()).isIn(ExitReason.killed(), ExitReason.noproc());
                reasons.merge("callback " + l.getFirst(), 1, Integer::sum);
            }
            for (String line : localInfos(watcher)) {
                reasons.merge("Down " + line.substring(line.lastIndexOf(' ') + 1), 1, Integer::sum);
            }
            t.stop(watcher);
        }
        assertThat(stat(b, "served")).isZero();
        assertThat(RemoteMonitor.stats(t).monitorsHeld()).isZero();
        assertThat(t.stats().monitors()).isZero();
        System.out.println("NOEX-MEASURE monitors set up while 1000 targets were being killed (5 rounds of 200): " + reasons);
    }

    // ================================================================== links

    @Test
    void anAbnormalExit_crossesTheLinkBothWays_andANormalExitKillsNobody() {
        JvmNode b = startB();
        Node t = joinT(b);
        // t's process linked by t (RemoteLink); b's process crashes: t's dies.
        GenServerRef onT = t.start(recorder);
        GenServerRef onB = ref(b.command("spawn"));
        LinkHandle link = RemoteLink.link(onT, onB);
        assertThat(link.remote()).isEqualTo(onB);
        await().atMost(WAIT).until(() -> stat(b, "links") == 1);
        b.command("stop " + onB + " crash");
        await().atMost(WAIT).until(() -> !t.isRunning(onT));

        // b's process linked by b; t's process crashes: b's dies.
        GenServerRef onT2 = t.start(recorder);
        GenServerRef onB2 = ref(b.command("spawn"));
        b.command("link " + onB2 + " " + onT2);
        await().atMost(WAIT).until(() -> RemoteMonitor.stats(t).links() == 1);
        t.cast(onT2, "crash");
        await().atMost(WAIT).until(() -> b.command("alive " + onB2).equals("false"));

        // normal exits, either side: the other lives on.
        GenServerRef onT3 = t.start(recorder);
        GenServerRef onB3 = ref(b.command("spawn"));
        GenServerRef onT4 = t.start(recorder);
        GenServerRef onB4 = ref(b.command("spawn"));
        RemoteLink.link(onT3, onB3);
        b.command("link " + onB4 + " " + onT4);
        await().atMost(WAIT).until(() -> stat(b, "links") == 2 && RemoteMonitor.stats(t).links() == 2);
        b.command("stop " + onB3 + " normal");
        t.stop(onT4);
        await().atMost(WAIT).until(() -> stat(b, "links") == 0 && RemoteMonitor.stats(t).links() == 0);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> t.isRunning(onT3));
        assertThat(b.command("alive " + onB4)).isEqualTo("true");
    }

    @Test
    void aProcessThatTrapsExits_receivesExit_inEitherJvm_includingForANormalExit() {
        JvmNode b = startB();
        Node t = joinT(b);
        GenServerRef trapperOnT = t.start(recorder, StartOptions.builder().trapExit(true).build());
        GenServerRef crasherOnB = ref(b.command("spawn"));
        GenServerRef finisherOnB = ref(b.command("spawn"));
        RemoteLink.link(trapperOnT, crasherOnB);
        RemoteLink.link(trapperOnT, finisherOnB);
        GenServerRef trapperOnB = ref(b.command("spawn trap"));
        GenServerRef crasherOnT = t.start(recorder);
        b.command("link " + trapperOnB + " " + crasherOnT);
        await().atMost(WAIT).until(() -> stat(b, "links") == 3);

        b.command("stop " + crasherOnB + " crash");
        b.command("stop " + finisherOnB + " normal");
        t.cast(crasherOnT, "crash");
        await().atMost(WAIT).until(() -> localInfos(trapperOnT).size() == 2);
        assertThat(localInfos(trapperOnT)).anySatisfy(s -> assertThat(s).startsWith("exit " + crasherOnB + " error: ")
                .contains("crashed on purpose"));
        assertThat(localInfos(trapperOnT)).contains("exit " + finisherOnB + " normal");
        await().atMost(WAIT).until(() -> infos(b, trapperOnB).size() == 1);
        assertThat(infos(b, trapperOnB).getFirst()).startsWith("exit " + crasherOnT + " error: ");
        assertThat(t.isRunning(trapperOnT)).isTrue();
        assertThat(b.command("alive " + trapperOnB)).isEqualTo("true");
        assertThat(RemoteMonitor.stats(t).links()).isZero();
        assertThat(stat(b, "links")).isZero();
    }

    @Test
    void unlink_stopsPropagation_andKillingTheOtherJvm_deliversNoconnection() {
        JvmNode b = startB();
        Node t = joinT(b);
        GenServerRef unlinked = t.start(recorder);
        GenServerRef trapper = t.start(recorder, StartOptions.builder().trapExit(true).build());
        GenServerRef plain = t.start(recorder);
        GenServerRef onB = ref(b.command("spawn"));
        GenServerRef crasher = ref(b.command("spawn"));
        LinkHandle link = RemoteLink.link(unlinked, crasher);
        RemoteLink.link(trapper, onB);
        RemoteLink.link(plain, onB);
        await().atMost(WAIT).until(() -> stat(b, "links") == 3);
        link.unlink();
        await().atMost(WAIT).until(() -> stat(b, "links") == 2);
        b.command("stop " + crasher + " crash");
        await().atMost(WAIT).until(() -> b.command("alive " + crasher).equals("false"));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> t.isRunning(unlinked));

        b.kill9();
        await().atMost(WAIT).until(() -> localInfos(trapper).contains("exit " + onB + " noconnection"));
        await().atMost(WAIT).until(() -> !t.isRunning(plain));
        assertThat(t.isRunning(trapper)).isTrue();
        assertThat(t.isRunning(unlinked)).isTrue();
        assertThat(RemoteMonitor.stats(t).links()).isZero();
    }

    // ================================================================== nothing leaks

    @Test
    void tenThousandMonitorAndLinkCycles_leaveEveryNodesTablesAtTheirStartingSize() {
        JvmNode b = startB();
        Node t = joinT(b);
        GenServerRef onT = t.start(recorder);
        GenServerRef onB = ref(b.command("spawn"));
        GenServerRef watcherOnB = ref(b.command("spawn"));
        String bBefore = b.command("stats");
        RemoteSignalStats tBefore = RemoteMonitor.stats(t);
        int monitorsBefore = t.stats().monitors();

        for (int i = 0; i < 10_000; i++) {
            if (i % 2 == 0) {
                RemoteMonitor.monitor(onB, (r, reason) -> { }).demonitor();
            } else {
                GenServer.demonitor(GenServer.monitor(onT, onB));
            }
            RemoteLink.link(onT, onB).unlink();
        }
        // The same from b's side, on a process of t, in the child JVM.
        for (int i = 0; i < 200; i++) {
            String id = b.command("monitor " + watcherOnB + " " + onT);
            assertThat(id).isNotBlank();
        }
        await().atMost(WAIT).until(() -> RemoteMonitor.stats(t).monitorsServed() == 200);
        b.command("stop " + watcherOnB + " normal"); // its 200 monitors go with it
        await().atMost(WAIT).until(() -> RemoteMonitor.stats(t).monitorsServed() == 0);

        await().atMost(WAIT).untilAsserted(() -> {
            RemoteSignalStats now = RemoteMonitor.stats(t);
            assertThat(now.monitorsHeld()).isEqualTo(tBefore.monitorsHeld());
            assertThat(now.monitorsServed()).isEqualTo(tBefore.monitorsServed());
            assertThat(now.links()).isEqualTo(tBefore.links());
            assertThat(t.stats().monitors()).isEqualTo(monitorsBefore);
            assertThat(tables(b.command("stats"))).isEqualTo(tables(bBefore));
        });
        assertThat(RemoteMonitor.stats(t).ignoredSignals()).isEqualTo(tBefore.ignoredSignals());
        assertThat(t.isRunning(onT)).isTrue();
        assertThat(b.command("alive " + onB)).isEqualTo("true");
        System.out.println("NOEX-MEASURE tables after 10,000 monitor/demonitor and link/unlink cycles: t "
                + CoordinationSetup.stats(t) + "; b " + b.command("stats"));
    }

    /** @return the table sizes of a stats line (not the process count, not the monotonic counters) */
    static Map<String, Integer> tables(String stats) {
        Map<String, Integer> out = new TreeMap<>();
        for (String kv : stats.split(" ")) {
            String[] p = kv.split("=");
            if (!p[0].startsWith("ignored") && !p[0].equals("processes")) {
                out.put(p[0], Integer.parseInt(p[1]));
            }
        }
        return out;
    }

    /** @return how many Down messages the watcher received per monitor id */
    private Map<Long, Integer> downsPerMonitor(GenServerRef watcher) {
        Map<Long, Integer> counts = new ConcurrentHashMap<>();
        for (String line : localInfos(watcher)) {
            counts.merge(Long.parseLong(line.split(" ")[1]), 1, Integer::sum);
        }
        return counts;
    }
}
