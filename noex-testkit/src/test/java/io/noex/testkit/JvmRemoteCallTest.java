package io.noex.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.noex.GenServerRef;
import io.noex.InvalidNodeIdException;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.NodeNotReachableException;
import io.noex.ServerCrashedException;
import io.noex.StartOptions;
import io.noex.distribution.BehaviorRegistry;
import io.noex.distribution.ClusterConfig;
import io.noex.distribution.ClusterMembership;
import io.noex.distribution.ClusterMetrics;
import io.noex.distribution.MessageSerializationException;
import io.noex.distribution.RemoteCall;
import io.noex.distribution.RemoteCallException;
import io.noex.distribution.RemoteCallTimeoutException;
import io.noex.distribution.RemoteServerNotRunningException;
import io.noex.distribution.RemoteSpawn;
import io.noex.distribution.Serialization;
import io.noex.distribution.SpawnOptions;
import io.noex.testkit.CallServer.Add;
import io.noex.testkit.CallServer.Crash;
import io.noex.testkit.CallServer.Echo;
import io.noex.testkit.CallServer.ReplyUnserializable;
import io.noex.testkit.CallServer.Sleep;
import io.noex.testkit.CallServer.Stats;
import io.noex.testkit.CallServer.Unregistered;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Remote calls and casts across separate JVMs (SPEC 4.5, issue 4): every outcome of a call, the
 * bad input a receiver must survive, and per-pair ordering. This JVM runs a clustered node of its
 * own ({@code t}); a child JVM ({@code b}) hosts the processes. The child is shared by the class
 * (no test here harms it); the test that kills a JVM starts one of its own.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JvmRemoteCallTest {

    /** The child's code: the message types, the "server" behavior and a process named "server". */
    public static final class Serving implements JvmNodeSetup {
        public Serving() {
        }

        @Override
        public void beforeStart(Node node) {
            CallServer.registerTypes(node);
            BehaviorRegistry.register(node, "server", new CallServer());
        }

        @Override
        public void afterStart(Node node, ClusterMembership cluster) {
            node.start(new CallServer(), StartOptions.builder().name("server").build());
        }

        @Override
        public String command(Node node, String command) {
            String[] w = command.split(" ");
            ClusterMetrics m = ClusterMembership.of(node).metrics().orElseThrow();
            return switch (w[0]) {
                case "undecodable" -> Long.toString(m.undecodableRequests());
                case "calls-served" -> Long.toString(m.callsServed());
                case "call" -> String.valueOf((Object) node.call(new GenServerRef(w[2], NodeId.parse(w[1])), new Echo(w[3])));
                default -> throw new IllegalArgumentException("no such command: " + command);
            };
        }
    }

    private final JvmCluster jvms = JvmCluster.create();
    private JvmNode b;
    private Node t;
    private GenServerRef server;

    /** On failure, the child's output tells what it saw. */
    @RegisterExtension
    final AfterTestExecutionCallback childOutputOnFailure = context -> {
        if (context.getExecutionException().isPresent() && b != null) {
            System.err.println(b.outputTail());
        }
    };

    @BeforeAll
    void startCluster() {
        b = jvms.start("b", JvmNodeOptions.builder().setup(Serving.class).build());
        t = startTestNode(b.nodeId());
        server = new GenServerRef("server", b.nodeId());
    }

    /** This JVM's node: the same types and behavior as the children, plus {@link Unregistered}. */
    static Node startTestNode(NodeId seed) {
        Node node = Node.create("t");
        CallServer.registerTypes(node);
        Serialization.register(node, "test.call.Unregistered", Unregistered.class);
        BehaviorRegistry.register(node, "server", new CallServer());
        ClusterMembership.of(node).start(ClusterConfig.builder().nodeName("t").host("127.0.0.1").port(0)
                .seeds(seed.toString()).build());
        await().atMost(Duration.ofSeconds(15)).until(() -> ClusterMembership.of(node).isNodeConnected(seed));
        return node;
    }

    @AfterAll
    void stopCluster() {
        try {
            if (t != null) {
                ClusterMembership.of(t).stop();
                t.close();
            }
        } finally {
            jvms.close();
        }
    }

    private ClusterMetrics metrics() {
        return ClusterMembership.of(t).metrics().orElseThrow();
    }

    /** A server of its own on b, for a test that crashes or blocks it. */
    private GenServerRef freshServer() {
        return RemoteSpawn.spawn(t, "server", b.nodeId(), SpawnOptions.defaults()).ref();
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    @Test
    void aCallToAnotherJvm_returnsTheReply_byRegisteredNameOrById() {
        assertThat((Object) t.call(server, new Echo(List.of(1, "two", 3L)))).isEqualTo(List.of(1, "two", 3L));
        GenServerRef byId = freshServer();
        assertThat(byId.isProcessId()).isTrue();
        assertThat((Object) t.call(byId, new Echo("by id"), Duration.ofSeconds(5))).isEqualTo("by id");
    }

    @Test
    void aCallFromTheOtherJvm_toAProcessHere_returnsTheReply_andALocalRefWorksToo() {
        GenServerRef here = t.start(new CallServer());
        assertThat((Object) t.call(here, new Echo("local"))).isEqualTo("local");
        assertThat(b.command("call " + t.nodeId() + " " + here.id() + " from-b")).isEqualTo("from-b");
    }

    @Test
    void genServerCall_inAProcessOnTheOtherJvm_routesARefThatCameInAMessage_backToThisJvm() {
        GenServerRef here = t.start(new CallServer());
        Object reply = t.call(server, new CallServer.Forward(here, new Echo("round trip")));
        assertThat(reply).isEqualTo("round trip");
    }

    @Test
    void callAsync_completesWithTheReplyOrItsTimeout() throws Exception {
        CompletableFuture<Object> ok = t.callAsync(server, new Echo("async"));
        assertThat(ok.get(10, TimeUnit.SECONDS)).isEqualTo("async");
        GenServerRef sleeper = freshServer();
        CompletableFuture<Object> slow = t.callAsync(sleeper, new Sleep(3_000), Duration.ofMillis(200));
        assertThatThrownBy(() -> slow.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RemoteCallTimeoutException.class);
    }

    @Test
    void aCallThatGetsNoReplyInTime_failsWithRemoteCallTimeout_atItsTimeout() {
        GenServerRef sleeper = freshServer();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> t.call(sleeper, new Sleep(3_000), Duration.ofMillis(300)))
                .isInstanceOfSatisfying(RemoteCallTimeoutException.class, e -> {
                    assertThat(e.serverId()).isEqualTo(sleeper.id());
                    assertThat(e.nodeId()).isEqualTo(b.nodeId());
                    assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
                });
        assertThat(millisSince(t0)).isBetween(290L, 2_000L);
    }

    @Test
    void aCallToAProcessThatIsNotRunning_failsWithRemoteServerNotRunning() {
        for (GenServerRef ghost : List.of(new GenServerRef("<nope.9>", b.nodeId()), new GenServerRef("nobody", b.nodeId()))) {
            assertThatThrownBy(() -> t.call(ghost, new Echo(1)))
                    .isInstanceOfSatisfying(RemoteServerNotRunningException.class, e -> {
                        assertThat(e.serverId()).isEqualTo(ghost.id());
                        assertThat(e.nodeId()).isEqualTo(b.nodeId());
                    });
        }
    }

    @Test
    void aCallToANodeThatIsNotConnected_failsAtOnce_evenWithALongTimeout() {
        NodeId ghost = NodeId.parse("ghost@127.0.0.1:9");
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> t.call(new GenServerRef("server", ghost), new Echo(1), Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(NodeNotReachableException.class, e -> assertThat(e.nodeId()).isEqualTo(ghost));
        assertThat(millisSince(t0)).isLessThan(1_000);
        assertThat(RemoteCall.cast(t, new GenServerRef("server", ghost), new Add(1))).isFalse();
    }

    @Test
    void whenTheRemoteHandlerThrows_theCallerSeesItsClassMessageAndStack() {
        GenServerRef victim = freshServer();
        assertThatThrownBy(() -> t.call(victim, new Crash("disk full")))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e).isInstanceOf(ServerCrashedException.class);
                    assertThat(e.remoteClassName()).isEqualTo(IllegalStateException.class.getName());
                    assertThat(e.remoteMessage()).isEqualTo("disk full");
                    assertThat(e.remoteStack()).anySatisfy(s -> {
                        assertThat(s.getClassName()).isEqualTo(CallServer.class.getName());
                        assertThat(s.getMethodName()).isEqualTo("handleCall");
                    });
                });
        await().atMost(Duration.ofSeconds(10)).until(() -> !t.isRunning(victim));
        assertThat(t.isRunning(server)).isTrue();
    }

    @Test
    void anUnserializableArgument_failsAtTheSender_andNothingIsSent() {
        Runnable lambda = () -> { };
        String servedBefore = b.command("calls-served");
        // Heartbeats and gossip are the only other frames this node sends (two a second); a round
        // in which one of them falls is tried again. A bug that sent the message would send a frame
        // in every round.
        boolean nothingSent = false;
        for (int round = 0; round < 3 && !nothingSent; round++) {
            long framesBefore = metrics().framesOut();
            long bytesBefore = metrics().bytesOut();
            assertThatThrownBy(() -> t.call(server, new Echo(List.of(1, lambda))))
                    .isInstanceOfSatisfying(MessageSerializationException.class,
                            e -> assertThat(e.getMessage()).isEqualTo("msg.value[1]: lambda is not serializable"));
            assertThatThrownBy(() -> RemoteCall.cast(t, server, new Echo(new Object())))
                    .isInstanceOf(MessageSerializationException.class)
                    .hasMessageContaining("java.lang.Object");
            assertThatThrownBy(() -> t.callAsync(server, new Echo(Thread.currentThread())).get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(MessageSerializationException.class);
            nothingSent = metrics().framesOut() == framesBefore && metrics().bytesOut() == bytesBefore;
        }
        assertThat(nothingSent).as("frames and bytes sent while three unserializable requests failed").isTrue();
        assertThat(metrics().pendingRequests()).isZero();
        assertThat(b.command("calls-served")).isEqualTo(servedBefore);
    }

    @Test
    void aReplyThatCannotBeSerialized_failsTheCallerNamingTheType_andTheServerKeepsRunning() {
        assertThatThrownBy(() -> t.call(server, new ReplyUnserializable()))
                .isInstanceOfSatisfying(MessageSerializationException.class, e -> {
                    assertThat(e.getMessage()).contains("reply").contains("java.lang.StringBuilder").contains(b.nodeId().toString());
                    assertThat(e.typeName()).isEqualTo("java.lang.StringBuilder");
                });
        assertThat(t.isRunning(server)).isTrue();
        assertThat((Object) t.call(server, new Echo("still serving"))).isEqualTo("still serving");
    }

    @Test
    void aMessageTypeTheReceiverHasNotRegistered_isAnErrorReply_countedAndLoggedThere_notATimeout() {
        long before = Long.parseLong(b.command("undecodable"));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> t.call(server, new Echo(new Unregistered(7)), Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(MessageSerializationException.class, e -> {
                    assertThat(e.getMessage()).contains("test.call.Unregistered").contains("not registered");
                    assertThat(e.getMessage()).contains(b.nodeId().toString());
                });
        assertThat(millisSince(t0)).isLessThan(5_000);
        // A cast of it is handed over (the sender cannot know), then dropped and counted there.
        assertThat(RemoteCall.cast(t, server, new Unregistered(8))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> Long.parseLong(b.command("undecodable")) == before + 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.outputTail().contains("could not be decoded"));
        assertThat(b.outputTail()).contains("test.call.Unregistered");
        assertThat((Object) t.call(server, new Echo("still serving"))).isEqualTo("still serving");
    }

    @Test
    void aRefWithAMalformedNodeId_orThisNodesNameOnAWrongPort_failsClearlyAndAtOnce() {
        assertThatThrownBy(() -> NodeId.parse("b@127.0.0.1:99999"))
                .isInstanceOfSatisfying(InvalidNodeIdException.class, e -> {
                    assertThat(e.input()).isEqualTo("b@127.0.0.1:99999");
                    assertThat(e.rule()).contains("port");
                });
        assertThatThrownBy(() -> NodeId.parse("no-at-sign")).isInstanceOf(InvalidNodeIdException.class);

        NodeId self = t.nodeId();
        NodeId selfWrongPort = NodeId.create(self.name(), self.host(), self.port() == 65535 ? 65534 : self.port() + 1);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> t.call(new GenServerRef("server", selfWrongPort), new Echo(1), Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(NodeNotReachableException.class, e -> {
                    assertThat(e.nodeId()).isEqualTo(selfWrongPort);
                    assertThat(e.getMessage()).contains("this node's name").contains(self.toString());
                });
        NodeId bWrongPort = NodeId.create("b", b.nodeId().host(), b.nodeId().port() == 65535 ? 65534 : b.nodeId().port() + 1);
        assertThatThrownBy(() -> t.call(new GenServerRef("server", bWrongPort), new Echo(1), Duration.ofSeconds(30)))
                .isInstanceOf(NodeNotReachableException.class);
        assertThat(millisSince(t0)).isLessThan(1_000);
    }

    @Test
    void casts100kInterleavedWithCalls_arriveInTheOrderSent() {
        GenServerRef counter = freshServer();
        int n = 100_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (!RemoteCall.cast(t, counter, new Add(i))) {
                throw new AssertionError("cast " + i + " was refused");
            }
            if (i % 1000 == 999) {
                // Each call arrives after every cast sent before it: the count is exact.
                assertThat((Object) t.call(counter, new Stats(), Duration.ofSeconds(30))).isEqualTo(List.of(i + 1L, -1));
            }
        }
        assertThat((Object) t.call(counter, new Stats(), Duration.ofSeconds(30))).isEqualTo(List.of((long) n, -1));
        System.out.println("NOEX-MEASURE ordering: " + n + " casts with " + n / 1000 + " calls interleaved, JVM to JVM, in "
                + millisSince(t0) + " ms (load " + loadAverage() + ")");
    }

    @Test
    void aNodeKilledWhile100CallsArePending_failsThemAllWithNodeNotReachable_withinOneSecond() throws Exception {
        try (JvmCluster own = JvmCluster.create()) {
            JvmNode k = own.start("k", JvmNodeOptions.builder().seeds(t.nodeId()).setup(Serving.class).build());
            await().atMost(Duration.ofSeconds(15)).until(() -> ClusterMembership.of(t).isNodeConnected(k.nodeId()));
            GenServerRef doomed = new GenServerRef("server", k.nodeId());
            assertThat((Object) t.call(doomed, new Echo("alive"))).isEqualTo("alive");

            int calls = 100;
            long[] endedAt = new long[calls];
            Throwable[] failures = new Throwable[calls];
            CountDownLatch ended = new CountDownLatch(calls);
            for (int i = 0; i < calls; i++) {
                int slot = i;
                Thread.ofVirtual().start(() -> {
                    try {
                        t.call(doomed, new Sleep(60_000), Duration.ofSeconds(30));
                    } catch (Throwable e) {
                        failures[slot] = e;
                    }
                    endedAt[slot] = System.nanoTime();
                    ended.countDown();
                });
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> metrics().pendingRequests() >= calls);

            long killed = System.nanoTime();
            k.kill9();
            assertThat(ended.await(10, TimeUnit.SECONDS)).as("every pending call ended within 10 s").isTrue();
            long[] afterKill = Arrays.stream(endedAt).map(e -> TimeUnit.NANOSECONDS.toMillis(e - killed)).sorted().toArray();
            System.out.println("NOEX-MEASURE kill -9 with " + calls + " calls pending: all failed within " + afterKill[calls - 1]
                    + " ms of the kill (median " + afterKill[calls / 2] + " ms; timeout 30 s; load " + loadAverage() + ")");
            for (Throwable f : failures) {
                assertThat(f).isInstanceOfSatisfying(NodeNotReachableException.class,
                        e -> assertThat(e.nodeId()).isEqualTo(k.nodeId()));
            }
            assertThat(afterKill[calls - 1]).isLessThan(1_000);

            long t0 = System.nanoTime();
            assertThatThrownBy(() -> t.call(doomed, new Echo("anyone?"), Duration.ofSeconds(30)))
                    .isInstanceOf(NodeNotReachableException.class);
            assertThat(millisSince(t0)).isLessThan(1_000);
        }
    }

    static String loadAverage() {
        return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
