package io.noex.distribution;

import static org.assertj.core.api.Assertions.assertThat;
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
import io.noex.distribution.cluster.ClusterRuntime;
import io.noex.distribution.serialization.MessageType;
import io.noex.distribution.serialization.WireCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that sends coordination messages it has no right to send: signals for monitors and links
 * it does not own, registry entries for nodes that are down. Node {@code b} plays the hostile
 * peer: its frames are built with its own codec and sent on its real connection to {@code a}, so
 * {@code a} sees exactly what a hostile member would send. Each is ignored and counted, and what
 * it tried to break keeps working.
 */
@Timeout(60)
class CoordinationHostileInputTest {

    /** Records its info messages; a call with a ref monitors it and answers the monitor. */
    public static final class Recorder implements GenServerBehavior<String> {
        final LinkedBlockingQueue<Object> infos = new LinkedBlockingQueue<>();

        @Override
        public String init(List<Object> args) {
            return "r";
        }

        @Override
        public CallResult<String> handleCall(Object msg, String s) {
            return CallResult.reply(msg instanceof GenServerRef target ? GenServer.monitor(target) : s, s);
        }

        @Override
        public String handleCast(Object msg, String s) {
            if ("crash".equals(msg)) {
                throw new IllegalStateException("crashed on purpose");
            }
            return s;
        }

        @Override
        public String handleInfo(Object msg, String s) {
            infos.add(msg);
            return s;
        }
    }

    private static final java.util.function.Consumer<ClusterConfig.Builder> SLOW_HEARTBEATS =
            b -> b.heartbeatInterval(Duration.ofSeconds(1));

    private ClusterNodes cluster;
    private Node a;
    private Node b;
    private Node c;

    @BeforeEach
    void start() {
        cluster = new ClusterNodes(n -> { });
        // 1 s heartbeats: nothing here waits for the failure detector, and 200 ms ones report
        // false downs on a loaded 2-core machine.
        a = cluster.start("a", SLOW_HEARTBEATS);
        b = cluster.start("b", SLOW_HEARTBEATS, a);
        c = cluster.start("c", SLOW_HEARTBEATS, a);
        ClusterNodes.awaitMesh(a, b, c);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** Sends a frame from {@code b} to {@code a}, as b's node would. */
    private void fromBToA(MessageType type, WireCodec.Body body) {
        ClusterRuntime rt = ClusterMembership.of(b).runtime().orElseThrow();
        assertThat(rt.connection(a.nodeId()).orElseThrow().sendAnswer(rt.encode(type, body))).isTrue();
    }

    private long ignoredSignalsOnA() {
        return RemoteMonitor.stats(a).ignoredSignals();
    }

    private void awaitIgnoredSignalsOnA(long expected) {
        await().atMost(Duration.ofSeconds(5)).until(() -> ignoredSignalsOnA() == expected);
    }

    @Test
    void aProcessDownForAMonitorThePeerDoesNotServe_isIgnoredAndCounted_andTheRealOneStillArrives() throws Exception {
        Recorder watcher = new Recorder();
        GenServerRef w = a.start(watcher);
        GenServerRef onC = c.start(new Recorder());
        MonitorRef m = a.call(w, onC);
        await().atMost(Duration.ofSeconds(5)).until(() -> RemoteMonitor.stats(c).monitorsServed() == 1);
        long before = ignoredSignalsOnA();

        // b claims the process a monitors on c is down, and reports a monitor a never made.
        fromBToA(MessageType.PROCESS_DOWN, (out, v) -> {
            out.packLong(m.id());
            v.write("reason", ExitReason.error("forged by b"));
        });
        fromBToA(MessageType.PROCESS_DOWN, (out, v) -> {
            out.packLong(987_654);
            v.write("reason", ExitReason.killed());
        });
        awaitIgnoredSignalsOnA(before + 2);
        assertThat(watcher.infos.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(RemoteMonitor.stats(a).monitorsHeld()).isEqualTo(1);

        c.stop(onC, ExitReason.shutdown());
        Object down = watcher.infos.poll(5, TimeUnit.SECONDS);
        assertThat(down).isEqualTo(new Down(m, onC, ExitReason.shutdown()));
    }

    @Test
    void exitSignalsForLinksThePeerDoesNotHold_areIgnoredAndCounted_whateverTheReason() {
        GenServerRef victim = a.start(new Recorder());
        GenServerRef onB = b.start(new Recorder());
        GenServerRef linkedOnA = a.start(new Recorder());
        GenServerRef onC = c.start(new Recorder());
        a.link(linkedOnA, onC);
        await().atMost(Duration.ofSeconds(5)).until(() -> RemoteMonitor.stats(c).links() == 1);
        long before = ignoredSignalsOnA();

        // No link between b's process and the victim: killed, noproc and an error all bounce.
        for (ExitReason reason : List.of(ExitReason.killed(), ExitReason.noproc(), ExitReason.error("forged"))) {
            fromBToA(MessageType.EXIT_SIGNAL, (out, v) -> {
                v.write("from", onB);
                out.packString(victim.id());
                v.write("reason", reason);
            });
        }
        // b forges the exit of c's process, which a's process really is linked to.
        fromBToA(MessageType.EXIT_SIGNAL, (out, v) -> {
            v.write("from", onC);
            out.packString(linkedOnA.id());
            v.write("reason", ExitReason.killed());
        });
        // An unlink and a demonitor of nothing.
        fromBToA(MessageType.UNLINK, (out, v) -> {
            v.write("from", onB);
            out.packString(victim.id());
        });
        fromBToA(MessageType.DEMONITOR, (out, v) -> out.packLong(424_242));
        awaitIgnoredSignalsOnA(before + 6);

        assertThat(a.isRunning(victim)).isTrue();
        assertThat(a.isRunning(linkedOnA)).isTrue();
        assertThat(RemoteMonitor.stats(a).links()).isEqualTo(1);
        // The real link still works: c's process crashes, a's dies with it.
        c.cast(onC, "crash");
        await().atMost(Duration.ofSeconds(5)).until(() -> !a.isRunning(linkedOnA));
        assertThat(a.isRunning(victim)).isTrue();
    }

    @Test
    void aMonitorRequestWithAMalformedTarget_isDropped_andTheNodeKeepsServing() throws Exception {
        long dropped = ClusterMembership.of(a).metrics().orElseThrow().droppedFrames();
        fromBToA(MessageType.MONITOR_REQUEST, (out, v) -> {
            out.packLong(1);
            out.packString(""); // no process has an empty id
        });
        await().atMost(Duration.ofSeconds(5)).until(() ->
                ClusterMembership.of(a).metrics().orElseThrow().droppedFrames() == dropped + 1);
        assertThat(RemoteMonitor.stats(a).monitorsServed()).isZero();

        Recorder watcher = new Recorder();
        GenServerRef w = b.start(watcher);
        GenServerRef onA = a.start(new Recorder());
        MonitorRef m = b.call(w, onA);
        await().atMost(Duration.ofSeconds(5)).until(() -> RemoteMonitor.stats(a).monitorsServed() == 1);
        a.stop(onA, ExitReason.shutdown());
        assertThat(watcher.infos.poll(5, TimeUnit.SECONDS)).isEqualTo(new Down(m, onA, ExitReason.shutdown()));
    }

    @Test
    void registryEntriesForNodesThatAreDown_areIgnoredAndCounted() {
        GenServerRef onB = b.start(new Recorder());
        GenServerRef onC = c.start(new Recorder());
        NodeId cId = c.nodeId();
        ClusterMembership.of(c).stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> !ClusterMembership.of(a).isNodeConnected(cId));
        GenServerRef onGhost = new GenServerRef("<ghost.1>", NodeId.parse("ghost@127.0.0.1:9"));
        long before = GlobalNames.of(a).stats().ignoredEntries();

        for (String op : List.of("add", "full")) {
            fromBToA(MessageType.REGISTRY_SYNC, (out, v) -> {
                out.packString(op);
                out.packArrayHeader(3);
                for (Object[] e : new Object[][] {{"on-down-c-" + op, onC}, {"on-ghost-" + op, onGhost}, {"on-b-" + op, onB}}) {
                    out.packArrayHeader(4);
                    out.packString((String) e[0]);
                    v.write("entry", e[1]);
                    out.packLong(1);
                    out.packString(ConflictAction.EXIT.name());
                }
            });
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> GlobalNames.of(a).stats().ignoredEntries() == before + 4);
        await().atMost(Duration.ofSeconds(5)).until(() -> GlobalNames.of(a).isRegistered("on-b-full"));
        assertThat(GlobalNames.of(a).whereis("on-b-add")).contains(onB);
        assertThat(GlobalNames.of(a).getNames()).containsExactly("on-b-add", "on-b-full");
    }

    @Test
    void aTrappingProcess_isNotToldOfForgedExits_either() throws Exception {
        Recorder trapper = new Recorder();
        GenServerRef t = a.start(trapper, StartOptions.builder().trapExit(true).build());
        GenServerRef onB = b.start(new Recorder());
        long before = ignoredSignalsOnA();
        fromBToA(MessageType.EXIT_SIGNAL, (out, v) -> {
            v.write("from", onB);
            out.packString(t.id());
            v.write("reason", ExitReason.error("forged"));
        });
        awaitIgnoredSignalsOnA(before + 1);
        assertThat(trapper.infos.poll(200, TimeUnit.MILLISECONDS)).isNull();
        // A real link delivers.
        a.link(t, onB);
        await().atMost(Duration.ofSeconds(5)).until(() -> RemoteMonitor.stats(b).links() == 1);
        b.stop(onB, ExitReason.shutdown());
        assertThat(trapper.infos.poll(5, TimeUnit.SECONDS)).isEqualTo(new Exit(onB, ExitReason.shutdown()));
    }
}
