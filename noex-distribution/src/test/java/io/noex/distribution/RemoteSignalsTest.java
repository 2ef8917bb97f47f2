package io.noex.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.noex.CallResult;
import io.noex.Down;
import io.noex.Exit;
import io.noex.ExitReason;
import io.noex.GenServer;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.MonitorRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.StartOptions;
import java.time.Duration;
import io.noex.distribution.monitor.RemoteSignalsService;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Monitors and links between processes on different nodes (one JVM, real TCP). */
@Timeout(60)
class RemoteSignalsTest {

    /** Records every info message; "crash" crashes it, "stop" stops it normally. */
    public static final class Watcher implements GenServerBehavior<String> {
        final LinkedBlockingQueue<Object> infos = new LinkedBlockingQueue<>();

        @Override
        public String init(List<Object> args) {
            return "w";
        }

        @Override
        public CallResult<String> handleCall(Object msg, String s) {
            if (msg instanceof GenServerRef target) {
                return CallResult.reply(GenServer.monitor(target), s);
            }
            return CallResult.reply(s, s);
        }

        @Override
        public String handleCast(Object msg, String s) {
            if ("crash".equals(msg)) {
                throw new IllegalStateException("crashed on purpose");
            }
            if ("stop".equals(msg)) {
                GenServer.stop(GenServer.self());
            }
            return s;
        }

        @Override
        public String handleInfo(Object msg, String s) {
            infos.add(msg);
            return s;
        }

        <T> T next(Class<T> type) throws InterruptedException {
            Object o = infos.poll(5, TimeUnit.SECONDS);
            if (!type.isInstance(o)) {
                throw new AssertionError("expected a " + type.getSimpleName() + ", got " + o);
            }
            return type.cast(o);
        }
    }

    private ClusterNodes cluster;
    private Node a;
    private Node b;

    @BeforeEach
    void start() {
        cluster = new ClusterNodes(n -> { });
        a = cluster.start("a");
        b = cluster.start("b", a);
        ClusterNodes.awaitMesh(a, b);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private RemoteSignalsService signalsOf(Node n) {
        return ClusterMembership.of(n).signals().orElseThrow();
    }

    @Test
    void aProcessMonitor_deliversDownWithTheRealReason() throws Exception {
        Watcher w = new Watcher();
        GenServerRef watcher = a.start(w);
        GenServerRef target = b.start(new Watcher());
        MonitorRef m = a.call(watcher, target);
        await().atMost(Duration.ofSeconds(5)).until(() -> signalsOf(b).watchesServed() == 1);
        b.cast(target, "crash");
        Down down = w.next(Down.class);
        assertThat(down.monitorRef()).isEqualTo(m);
        assertThat(down.ref()).isEqualTo(target);
        assertThat(down.reason()).isInstanceOfSatisfying(ExitReason.Error.class,
                e -> assertThat(e.message()).contains("crashed on purpose"));
        assertThat(signalsOf(a).watchesHeld()).isZero();
        assertThat(signalsOf(b).watchesServed()).isZero();
    }

    @Test
    void theCallbackForm_firesOnceWithTheReason_andNoprocForAMissingProcess() throws Exception {
        GenServerRef target = b.start(new Watcher());
        LinkedBlockingQueue<Object> seen = new LinkedBlockingQueue<>();
        a.monitor(target, (ref, reason) -> seen.add(reason));
        await().atMost(Duration.ofSeconds(5)).until(() -> signalsOf(b).watchesServed() == 1);
        b.stop(target, ExitReason.shutdown());
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(ExitReason.shutdown());
        a.monitor(new GenServerRef("<none.1>", b.nodeId()), (ref, reason) -> seen.add(reason));
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(ExitReason.noproc());
        assertThat(seen.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void demonitor_stopsDelivery_andCleansBothSides() throws Exception {
        Watcher w = new Watcher();
        GenServerRef watcher = a.start(w);
        GenServerRef target = b.start(new Watcher());
        MonitorRef m = a.call(watcher, target);
        await().atMost(Duration.ofSeconds(5)).until(() -> signalsOf(b).watchesServed() == 1);
        assertThat(a.demonitor(m)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> signalsOf(b).watchesServed() == 0);
        b.stop(target);
        assertThat(w.infos.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(signalsOf(a).watchesHeld()).isZero();
    }

    @Test
    void losingTheTargetsNode_firesNoconnectionForEveryMonitor() throws Exception {
        Watcher w = new Watcher();
        GenServerRef watcher = a.start(w);
        List<Object> callbacks = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            GenServerRef t = b.start(new Watcher());
            a.call(watcher, t);
            a.monitor(t, (ref, reason) -> callbacks.add(reason));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> signalsOf(b).watchesServed() == 10);
        ClusterMembership.of(b).stop();
        for (int i = 0; i < 5; i++) {
            assertThat(w.next(Down.class).reason()).isEqualTo(ExitReason.noconnection());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> callbacks.size() == 5);
        assertThat(callbacks).containsOnly(ExitReason.noconnection());
        assertThat(signalsOf(a).watchesHeld()).isZero();
    }

    @Test
    void aMonitorOnAnUnreachableNode_firesNoconnectionAtOnce() throws Exception {
        LinkedBlockingQueue<Object> seen = new LinkedBlockingQueue<>();
        a.monitor(new GenServerRef("<x.1>", NodeId.parse("ghost@127.0.0.1:9")), (ref, reason) -> seen.add(reason));
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(ExitReason.noconnection());
    }

    @Test
    void anAbnormalExit_propagatesAcrossALinkBothWays() {
        GenServerRef onA = a.start(new Watcher());
        GenServerRef onB = b.start(new Watcher());
        a.link(onA, onB);
        await().atMost(Duration.ofSeconds(5)).until(() -> signalsOf(b).links() == 1);
        b.cast(onB, "crash");
        await().atMost(Duration.ofSeconds(5)).until(() -> !a.isRunning(onA));

        GenServerRef onA2 = a.start(new Watcher());
        GenServerRef onB2 = b.start(new Watcher());
        a.link(onA2, onB2);
        await().atMost(Duration.ofSeconds(5)).until(() -> signalsOf(b).links() == 1);
        a.cast(onA2, "crash");
        await().atMost(Duration.ofSeconds(5)).until(() -> !b.isRunning(onB2));
        assertThat(signalsOf(a).links()).isZero();
        assertThat(signalsOf(b).links()).isZero();
    }

    @Test
    void aTrappingProcess_receivesExit_andANormalExitKillsNobody() throws Exception {
        Watcher trapper = new Watcher();
        GenServerRef t = a.start(trapper, StartOptions.builder().trapExit(true).build());
        GenServerRef crasher = b.start(new Watcher());
        GenServerRef finisher = b.start(new Watcher());
        GenServerRef plain = a.start(new Watcher());
        a.link(t, crasher);
        a.link(plain, finisher);
        await().atMost(Duration.ofSeconds(5)).until(() -> signalsOf(b).links() == 2);
        b.cast(crasher, "crash");
        Exit exit = trapper.next(Exit.class);
        assertThat(exit.from()).isEqualTo(crasher);
        assertThat(exit.reason()).isInstanceOf(ExitReason.Error.class);
        b.cast(finisher, "stop");
        await().atMost(Duration.ofSeconds(5)).until(() -> !b.isRunning(finisher));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> a.isRunning(plain));
    }

    @Test
    void losingTheOtherNode_deliversNoconnectionThroughTheLink() throws Exception {
        Watcher trapper = new Watcher();
        GenServerRef t = a.start(trapper, StartOptions.builder().trapExit(true).build());
        GenServerRef victim = a.start(new Watcher());
        GenServerRef onB = b.start(new Watcher());
        a.link(t, onB);
        a.link(victim, onB);
        await().atMost(Duration.ofSeconds(5)).until(() -> signalsOf(b).links() == 2);
        ClusterMembership.of(b).stop();
        assertThat(trapper.next(Exit.class).reason()).isEqualTo(ExitReason.noconnection());
        await().atMost(Duration.ofSeconds(5)).until(() -> !a.isRunning(victim));
        assertThat(signalsOf(a).links()).isZero();
    }

    @Test
    void unlink_stopsPropagation() {
        GenServerRef onA = a.start(new Watcher());
        GenServerRef onB = b.start(new Watcher());
        a.link(onA, onB);
        await().atMost(Duration.ofSeconds(5)).until(() -> signalsOf(b).links() == 1);
        a.unlink(onA, onB);
        await().atMost(Duration.ofSeconds(5)).until(() -> signalsOf(b).links() == 0);
        b.cast(onB, "crash");
        await().atMost(Duration.ofSeconds(5)).until(() -> !b.isRunning(onB));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> a.isRunning(onA));
    }

    @Test
    void aLinkToAMissingRemoteProcess_deliversNoproc() throws Exception {
        Watcher trapper = new Watcher();
        GenServerRef t = a.start(trapper, StartOptions.builder().trapExit(true).build());
        a.link(t, new GenServerRef("<gone.1>", b.nodeId()));
        assertThat(trapper.next(Exit.class).reason()).isEqualTo(ExitReason.noproc());
    }

    @Test
    void thousandsOfMonitorAndLinkCycles_leaveNoTableEntries() {
        GenServerRef onA = a.start(new Watcher());
        GenServerRef onB = b.start(new Watcher());
        for (int i = 0; i < 2_000; i++) {
            MonitorRef m = a.monitor(onA, onB);
            a.demonitor(m);
            a.link(onA, onB);
            a.unlink(onA, onB);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(signalsOf(a).watchesHeld()).isZero();
            assertThat(signalsOf(b).watchesServed()).isZero();
            assertThat(signalsOf(a).links()).isZero();
            assertThat(signalsOf(b).links()).isZero();
            assertThat(a.stats().monitors()).isZero();
        });
        assertThat(a.isRunning(onA)).isTrue();
        assertThat(b.isRunning(onB)).isTrue();
        assertThatThrownBy(() -> a.monitor(new GenServerRef("<x.1>", a.nodeId()), onB))
                .isInstanceOf(io.noex.ServerNotRunningException.class);
    }
}
