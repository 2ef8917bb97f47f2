package io.noex.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.noex.CallResult;
import io.noex.GenServer;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.NodeNotReachableException;
import io.noex.StartOptions;
import io.noex.UnknownMessageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Location-transparent calls between nodes in one JVM, over real TCP. */
@Timeout(60)
class RemoteCallTest {

    public record Echo(Object value) {
    }

    public record Add(int n) {
    }

    public record Get() {
    }

    /** Answers [casts seen, index of the first one out of order or -1]: small, unlike {@link Get}. */
    public record Summary() {
    }

    public record Crash(String why) {
    }

    public record Sleep(long millis) {
    }

    public record Unregistered(int x) {
    }

    public record ReplyWith(Object value) {
    }

    /** Echoes, counts, crashes, sleeps on request. */
    public static final class Server implements GenServerBehavior<List<Integer>> {
        @Override
        public List<Integer> init(List<Object> args) {
            return new ArrayList<>();
        }

        @Override
        public CallResult<List<Integer>> handleCall(Object msg, List<Integer> seen) throws Exception {
            return switch (msg) {
                case Echo e -> CallResult.reply(e.value(), seen);
                case Get g -> CallResult.reply(List.copyOf(seen), seen);
                case Summary q -> {
                    int disorder = -1;
                    for (int i = 0; i < seen.size() && disorder < 0; i++) {
                        if (seen.get(i) != i) {
                            disorder = i;
                        }
                    }
                    yield CallResult.reply(List.of(seen.size(), disorder), seen);
                }
                case Crash c -> throw new IllegalStateException(c.why());
                case Sleep s -> {
                    Thread.sleep(s.millis());
                    yield CallResult.reply("slept", seen);
                }
                case ReplyWith r -> CallResult.reply("a StringBuilder".equals(r.value()) ? new StringBuilder("x") : r.value(), seen);
                default -> throw new UnknownMessageException(msg);
            };
        }

        @Override
        public List<Integer> handleCast(Object msg, List<Integer> seen) {
            if (msg instanceof Add a) {
                seen.add(a.n());
            }
            return seen;
        }
    }

    private ClusterNodes cluster;
    private Node a;
    private Node b;
    private GenServerRef onB;

    static void registerTypes(Node n) {
        Serialization.register(n, "test.Echo", Echo.class);
        Serialization.register(n, "test.Add", Add.class);
        Serialization.register(n, "test.Get", Get.class);
        Serialization.register(n, "test.Summary", Summary.class);
        Serialization.register(n, "test.Crash", Crash.class);
        Serialization.register(n, "test.Sleep", Sleep.class);
        Serialization.register(n, "test.ReplyWith", ReplyWith.class);
    }

    @BeforeEach
    void start() {
        cluster = new ClusterNodes(RemoteCallTest::registerTypes);
        a = cluster.start("a");
        b = cluster.start("b", a);
        ClusterNodes.awaitMesh(a, b);
        onB = b.start(new Server(), StartOptions.builder().name("server").build());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aCallToAnotherNode_returnsTheReply() {
        assertThat(onB.nodeId()).isEqualTo(b.nodeId());
        Object reply = a.call(onB, new Echo(List.of(1, "two", 3L)));
        assertThat(reply).isEqualTo(List.of(1, "two", 3L));
    }

    @Test
    void aRefMayNameTheProcessByItsRegisteredName() {
        GenServerRef byName = new GenServerRef("server", b.nodeId());
        assertThat((Object) a.call(byName, new Echo("by name"))).isEqualTo("by name");
    }

    @Test
    void remoteCallOnALocalRef_works() {
        GenServerRef local = a.start(new Server());
        assertThat((Object) a.call(local, new Echo("here"))).isEqualTo("here");
        assertThat(RemoteCall.cast(a, local, new Add(1))).isTrue();
    }

    @Test
    void aProcessCallsAProcessOnAnotherNode_withTheSameApi() {
        GenServerRef caller = a.start(new GenServerBehavior<Integer>() {
            public Integer init(List<Object> args) {
                return 0;
            }

            public CallResult<Integer> handleCall(Object msg, Integer s) {
                return CallResult.reply(GenServer.call((GenServerRef) msg, new Echo("nested")), s);
            }

            public Integer handleCast(Object msg, Integer s) {
                return s;
            }
        });
        assertThat((Object) a.call(caller, onB)).isEqualTo("nested");
    }

    @Test
    void aCallThatGetsNoReplyInTime_failsWithRemoteCallTimeout() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> a.call(onB, new Sleep(2_000), Duration.ofMillis(200)))
                .isInstanceOfSatisfying(RemoteCallTimeoutException.class, e -> {
                    assertThat(e.serverId()).isEqualTo(onB.id());
                    assertThat(e.nodeId()).isEqualTo(b.nodeId());
                    assertThat(e.timeout()).isEqualTo(Duration.ofMillis(200));
                });
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(190L, 1_500L);
    }

    @Test
    void aCallToAProcessThatIsNotRunning_failsWithRemoteServerNotRunning() {
        GenServerRef ghost = new GenServerRef("<nope.9>", b.nodeId());
        assertThatThrownBy(() -> a.call(ghost, new Echo(1)))
                .isInstanceOfSatisfying(RemoteServerNotRunningException.class, e -> {
                    assertThat(e.serverId()).isEqualTo("<nope.9>");
                    assertThat(e.nodeId()).isEqualTo(b.nodeId());
                });
    }

    @Test
    void aCallToANodeThatIsNotConnected_failsAtOnce() {
        GenServerRef elsewhere = new GenServerRef("<x.1>", NodeId.parse("ghost@127.0.0.1:9"));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> a.call(elsewhere, new Echo(1), Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(NodeNotReachableException.class,
                        e -> assertThat(e.nodeId()).isEqualTo(NodeId.parse("ghost@127.0.0.1:9")));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1_000);
    }

    @Test
    void whenTheRemoteHandlerThrows_theCallerSeesItsClassMessageAndStack() {
        assertThatThrownBy(() -> a.call(onB, new Crash("disk full")))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.remoteClassName()).isEqualTo(IllegalStateException.class.getName());
                    assertThat(e.remoteMessage()).isEqualTo("disk full");
                    assertThat(e.remoteStack()).anySatisfy(s -> assertThat(s.getMethodName()).isEqualTo("handleCall"));
                    assertThat(e).isInstanceOf(io.noex.ServerCrashedException.class);
                });
        await().atMost(Duration.ofSeconds(5)).until(() -> !b.isRunning(onB));
    }

    @Test
    void anUnserializableArgument_failsAtTheSender_andNothingIsSent() {
        long framesBefore = ClusterMembership.of(a).runtime().orElseThrow().transportCounters().framesOut();
        Runnable lambda = () -> { };
        assertThatThrownBy(() -> a.call(onB, new Echo(List.of(1, lambda))))
                .isInstanceOfSatisfying(MessageSerializationException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("msg.value[1]: lambda is not serializable"));
        assertThatThrownBy(() -> a.cast(onB, new Echo(new Object())))
                .isInstanceOf(MessageSerializationException.class);
        long framesAfter = ClusterMembership.of(a).runtime().orElseThrow().transportCounters().framesOut();
        assertThat(framesAfter - framesBefore).as("frames sent meanwhile (heartbeats at most)").isLessThanOrEqualTo(2);
    }

    @Test
    void aReplyThatCannotBeSerialized_failsTheCaller_andTheServerKeepsRunning() {
        assertThatThrownBy(() -> a.call(onB, new ReplyWith("a StringBuilder")))
                .isInstanceOfSatisfying(MessageSerializationException.class, e -> {
                    assertThat(e.getMessage()).contains("reply").contains("java.lang.StringBuilder");
                    assertThat(e.getMessage()).contains(b.nodeId().toString());
                });
        assertThat(b.isRunning(onB)).isTrue();
        assertThat((Object) a.call(onB, new Echo("still fine"))).isEqualTo("still fine");
    }

    @Test
    void aMessageTypeTheReceiverHasNotRegistered_isAnErrorReply_notATimeout() {
        Serialization.register(a, "test.Unregistered", Unregistered.class);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> a.call(onB, new Echo(new Unregistered(1)), Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(MessageSerializationException.class,
                        e -> assertThat(e.getMessage()).contains("test.Unregistered").contains("not registered"));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(5_000);
        assertThat(ClusterMembership.of(b).remote().orElseThrow().counters().undecodableRequests()).isEqualTo(1);
    }

    @Test
    void anUnknownCallMessage_isRejectedAndTheServerKeepsRunning() {
        assertThatThrownBy(() -> a.call(onB, "what?")).isInstanceOf(UnknownMessageException.class);
        assertThat(b.isRunning(onB)).isTrue();
    }

    @Test
    void callAsync_completesWithTheReplyOrFails() throws Exception {
        CompletableFuture<Object> ok = a.callAsync(onB, new Echo("async"));
        assertThat(ok.get(5, TimeUnit.SECONDS)).isEqualTo("async");
        CompletableFuture<Object> slow = a.callAsync(onB, new Sleep(2_000), Duration.ofMillis(100));
        assertThatThrownBy(() -> slow.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(RemoteCallTimeoutException.class);
    }

    @Test
    void castsAndCallsFromOneSender_arriveInOrder() {
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            a.cast(onB, new Add(i));
            if (i % 1000 == 999) {
                // A call after casts is answered after they are handled: it sees exactly i + 1 of them, in order.
                List<Integer> summary = a.call(onB, new Summary(), Duration.ofSeconds(30));
                assertThat(summary).as("[casts seen, first out of order] after cast %d", i).containsExactly(i + 1, -1);
            }
        }
        @SuppressWarnings("unchecked")
        List<Integer> seen = a.call(onB, new Get(), Duration.ofSeconds(30));
        for (int i = 0; i < n; i++) {
            if (seen.get(i) != i) {
                throw new AssertionError("cast " + i + " arrived as " + seen.get(i));
            }
        }
    }

    @Test
    void remoteCastReportsWhetherTheMessageWasHandedToAConnection() {
        assertThat(RemoteCall.cast(a, onB, new Add(1))).isTrue();
        assertThat(RemoteCall.cast(a, new GenServerRef("<x.1>", NodeId.parse("ghost@127.0.0.1:9")), new Add(1))).isFalse();
    }

    @Test
    void whenTheTargetNodeLeaves_pendingCallsFailAtOnce() throws Exception {
        CountDownLatch sent = new CountDownLatch(20);
        List<CompletableFuture<Object>> pending = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pending.add(a.callAsync(onB, new Sleep(20_000), Duration.ofSeconds(30)));
            sent.countDown();
        }
        sent.await();
        long t0 = System.nanoTime();
        ClusterMembership.of(b).stop();
        for (CompletableFuture<Object> f : pending) {
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(NodeNotReachableException.class);
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(3_000);
        b.kill(onB); // its mailbox still holds 19 twenty-second sleeps
    }

    @Test
    void stopKillAndIsRunning_workAcrossNodes() {
        assertThat(a.isRunning(onB)).isTrue();
        a.stop(onB);
        assertThat(b.isRunning(onB)).isFalse();
        assertThat(a.isRunning(onB)).isFalse();
        GenServerRef other = b.start(new Server());
        a.kill(other);
        assertThat(b.isRunning(other)).isFalse();
    }
}
