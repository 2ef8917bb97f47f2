package io.noex.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.CallResult;
import io.noex.Exit;
import io.noex.ExitReason;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.NodeNotReachableException;
import io.noex.ServerNotRunningException;
import io.noex.StartOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the seed's facades ({@link RemoteMonitor}, {@link RemoteLink}, {@link GlobalNames}) do with
 * refs they cannot serve: a clear exception at once, nothing left behind, no wait on the network.
 * The facades act for {@code Node.current()}, so each attempt runs inside a process of node
 * {@code a}.
 */
@Timeout(60)
class CoordinationBadInputTest {

    /** Runs the {@link Callable} it is called with, inside the process, and answers what it returned or threw. */
    public static final class Runner implements GenServerBehavior<String> {
        final LinkedBlockingQueue<Object> infos = new LinkedBlockingQueue<>();

        @Override
        public String init(List<Object> args) {
            return "r";
        }

        @Override
        public CallResult<String> handleCall(Object msg, String s) {
            try {
                return CallResult.reply(((Callable<?>) msg).call(), s);
            } catch (Exception e) {
                return CallResult.reply(e, s);
            }
        }

        @Override
        public String handleCast(Object msg, String s) {
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
    private GenServerRef runner;

    @BeforeEach
    void start() {
        cluster = new ClusterNodes(n -> { });
        // 1 s heartbeats: nothing here waits for the failure detector, and 200 ms ones report
        // false downs on a loaded 2-core machine.
        a = cluster.start("a", SLOW_HEARTBEATS);
        b = cluster.start("b", SLOW_HEARTBEATS, a);
        c = cluster.start("c", SLOW_HEARTBEATS, a);
        ClusterNodes.awaitMesh(a, b, c);
        runner = a.start(new Runner());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** Runs {@code attempt} as node a's process, and returns the exception it threw. */
    private Exception failureOf(Callable<?> attempt) {
        long t0 = System.nanoTime();
        Object result = a.call(runner, attempt, Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("refused at once").isLessThan(Duration.ofSeconds(2));
        assertThat(result).as("the attempt should have thrown").isInstanceOf(Exception.class);
        return (Exception) result;
    }

    private void assertNothingLeftBehind() {
        for (Node n : List.of(a, b)) {
            RemoteSignalStats stats = RemoteMonitor.stats(n);
            assertThat(stats.monitorsHeld()).isZero();
            assertThat(stats.monitorsServed()).isZero();
            assertThat(stats.links()).isZero();
        }
        assertThat(a.stats().monitors()).isZero();
    }

    @Test
    void aMalformedRef_isRefusedByMonitorAndLink() {
        GenServerRef malformed = new GenServerRef("<not a pid", b.nodeId());
        GenServerRef tooLong = new GenServerRef("n".repeat(256), b.nodeId());
        GenServerRef onA = a.start(new Runner());

        assertThat(failureOf(() -> RemoteMonitor.monitor(malformed, (r, why) -> { })))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed")
                .hasMessageContaining("<not a pid");
        assertThat(failureOf(() -> RemoteMonitor.monitor(tooLong, (r, why) -> { })))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 255 characters");
        assertThat(failureOf(() -> RemoteLink.link(onA, malformed)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("remote").hasMessageContaining("malformed");
        assertThat(failureOf(() -> RemoteMonitor.monitor(null, (r, why) -> { })))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("ref");
        assertNothingLeftBehind();
        assertThat(a.isRunning(onA)).isTrue();
    }

    @Test
    void aLinkWhoseLocalSideIsOnAnotherNode_orNotRunning_isRefused() {
        GenServerRef onB = b.start(new Runner());
        GenServerRef onC = c.start(new Runner());
        assertThat(failureOf(() -> RemoteLink.link(onB, onC)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a process on this node");
        GenServerRef gone = a.start(new Runner());
        a.stop(gone);
        assertThat(failureOf(() -> RemoteLink.link(gone, onB))).isInstanceOf(ServerNotRunningException.class);
        assertNothingLeftBehind();
    }

    @Test
    void aProcessOnAnUnknownNode_isRefusedWithNodeNotReachable() {
        NodeId ghost = NodeId.parse("ghost@127.0.0.1:9");
        GenServerRef onGhost = new GenServerRef("<x.1>", ghost);
        GenServerRef onA = a.start(new Runner());
        assertThat(failureOf(() -> RemoteMonitor.monitor(onGhost, (r, why) -> { })))
                .isInstanceOfSatisfying(NodeNotReachableException.class, e -> assertThat(e.nodeId()).isEqualTo(ghost))
                .hasMessageContaining("no such member");
        assertThat(failureOf(() -> RemoteLink.link(onA, onGhost)))
                .isInstanceOf(NodeNotReachableException.class).hasMessageContaining("no such member");
        assertNothingLeftBehind();
        assertThat(a.isRunning(onA)).isTrue();
    }

    @Test
    void aProcessOnANodeThatIsDown_isRefusedWithNodeNotReachable_whileTheProcessFormsReportNoconnection() throws Exception {
        GenServerRef onC = c.start(new Runner());
        NodeId cId = c.nodeId();
        ClusterMembership.of(c).stop();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> !ClusterMembership.of(a).isNodeConnected(cId));
        GenServerRef onA = a.start(new Runner());

        assertThat(failureOf(() -> RemoteMonitor.monitor(onC, (r, why) -> { })))
                .isInstanceOf(NodeNotReachableException.class).hasMessageContaining("not connected");
        assertThat(failureOf(() -> RemoteLink.link(onA, onC)))
                .isInstanceOf(NodeNotReachableException.class).hasMessageContaining("not connected");
        assertNothingLeftBehind();

        // Erlang's forms: a Down / an exit signal with noconnection, at once.
        Runner trapper = new Runner();
        GenServerRef t = a.start(trapper, StartOptions.builder().trapExit(true).build());
        LinkedBlockingQueue<ExitReason> seen = new LinkedBlockingQueue<>();
        a.monitor(onC, (r, why) -> seen.add(why));
        assertThat(seen.poll(2, TimeUnit.SECONDS)).isEqualTo(ExitReason.noconnection());
        a.link(t, onC);
        assertThat(trapper.infos.poll(2, TimeUnit.SECONDS)).isEqualTo(new Exit(onC, ExitReason.noconnection()));
        assertNothingLeftBehind();
    }

    @Test
    void theGlobalRegistry_refusesAProcessOfANodeThatIsDown_andATakenNameNamesItsHolder() {
        GenServerRef onC = c.start(new Runner());
        GenServerRef onB = b.start(new Runner());
        GlobalNames.of(b).register("taken", onB);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> GlobalNames.of(a).isRegistered("taken"));
        NodeId cId = c.nodeId();
        ClusterMembership.of(c).stop();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> !ClusterMembership.of(a).isNodeConnected(cId));

        assertThat(failureOf(() -> {
            GlobalRegistry.register("on-c", onC);
            return null;
        })).isInstanceOf(NodeNotReachableException.class);
        assertThat(failureOf(() -> {
            GlobalRegistry.register("taken", runner);
            return null;
        })).isInstanceOfSatisfying(GlobalNameConflictException.class, e -> {
            assertThat(e.holder()).isEqualTo(onB);
            assertThat(e.existingNode()).isEqualTo(b.nodeId());
        }).hasMessageContaining("taken").hasMessageContaining(onB.toString());
        assertThat(failureOf(() -> GlobalRegistry.lookup("nobody"))).isInstanceOf(GlobalNameNotFoundException.class)
                .hasMessageContaining("nobody");
        assertThat(GlobalNames.of(a).whereis("taken")).contains(onB);
        assertThat(GlobalNames.of(a).isRegistered("on-c")).isFalse();
    }
}
