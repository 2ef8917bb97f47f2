package io.noex.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.noex.CallResult;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.NodeNotReachableException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Starting registered behaviors by name on a node, and every way it can fail. */
@Timeout(60)
class RemoteSpawnTest {

    /** init(args): "fail" throws, "slow" sleeps; the state is the args; a call returns them. */
    public static final class Worker implements GenServerBehavior<List<Object>> {
        @Override
        public List<Object> init(List<Object> args) throws Exception {
            if (args.contains("fail")) {
                throw new IllegalArgumentException("bad args " + args);
            }
            if (args.contains("slow")) {
                Thread.sleep(5_000);
            }
            return args;
        }

        @Override
        public CallResult<List<Object>> handleCall(Object msg, List<Object> args) {
            return CallResult.reply(args, args);
        }

        @Override
        public List<Object> handleCast(Object msg, List<Object> args) {
            return args;
        }
    }

    private ClusterNodes cluster;
    private Node a;
    private Node b;
    private Node c;

    @BeforeEach
    void start() {
        cluster = new ClusterNodes(n -> BehaviorRegistry.register(n, "worker", new Worker()));
        a = cluster.start("a");
        b = cluster.start("b", a);
        c = cluster.start("c", a);
        ClusterNodes.awaitMesh(a, b, c);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void spawnByName_onAnotherNode_withInitArgs_isCallableFromEveryNode() {
        SpawnResult r = RemoteSpawn.spawn(a, "worker", b.nodeId(), SpawnOptions.builder().args(1, "x", 2L).build());
        assertThat(r.nodeId()).isEqualTo(b.nodeId());
        assertThat(b.isRunning(r.ref())).isTrue();
        for (Node from : List.of(a, b, c)) {
            assertThat((Object) from.call(r.ref(), "args")).isEqualTo(List.of(1, "x", 2L));
        }
    }

    @Test
    void spawnOnTheLocalNode_works() {
        SpawnResult r = RemoteSpawn.spawn(a, "worker", a.nodeId(), SpawnOptions.builder().args("here").build());
        assertThat(r.nodeId()).isEqualTo(a.nodeId());
        assertThat((Object) a.call(r.ref(), "args")).isEqualTo(List.of("here"));
    }

    @Test
    void aLocalName_isRegisteredOnTheTarget_andNoneRegistersNothing() {
        SpawnResult named = RemoteSpawn.spawn(a, "worker", b.nodeId(), SpawnOptions.builder().name("w1").build());
        assertThat(b.names().whereis("w1")).contains(named.ref());
        assertThat((Object) c.call(new GenServerRef("w1", b.nodeId()), "args")).isEqualTo(List.of());
        RemoteSpawn.spawn(a, "worker", b.nodeId(), SpawnOptions.builder().name("w2").registration(Registration.NONE).build());
        assertThat(b.names().whereis("w2")).isEmpty();
    }

    @Test
    void aTakenLocalName_failsWithARegistrationError() {
        RemoteSpawn.spawn(a, "worker", b.nodeId(), SpawnOptions.builder().name("taken").build());
        assertThatThrownBy(() -> RemoteSpawn.spawn(a, "worker", b.nodeId(), SpawnOptions.builder().name("taken").build()))
                .isInstanceOfSatisfying(RemoteSpawnRegistrationException.class, e -> {
                    assertThat(e.name()).isEqualTo("taken");
                    assertThat(e.nodeId()).isEqualTo(b.nodeId());
                });
    }

    @Test
    void anUnknownBehavior_failsNamingItAndTheNode() {
        assertThatThrownBy(() -> RemoteSpawn.spawn(a, "nope", b.nodeId(), SpawnOptions.defaults()))
                .isInstanceOfSatisfying(BehaviorNotFoundException.class, e -> {
                    assertThat(e.behaviorName()).isEqualTo("nope");
                    assertThat(e.nodeId()).isEqualTo(b.nodeId());
                });
        assertThatThrownBy(() -> RemoteSpawn.spawn(a, "nope", a.nodeId(), SpawnOptions.defaults()))
                .isInstanceOf(BehaviorNotFoundException.class);
    }

    @Test
    void anInitThatThrows_failsWithTheRemoteCause() {
        assertThatThrownBy(() -> RemoteSpawn.spawn(a, "worker", b.nodeId(), SpawnOptions.builder().args("fail").build()))
                .isInstanceOfSatisfying(RemoteSpawnInitException.class, e -> {
                    assertThat(e.timedOut()).isFalse();
                    assertThat(e.getMessage()).contains("bad args");
                    assertThat(e.getCause()).isInstanceOfSatisfying(RemoteFailure.class,
                            f -> assertThat(f.remoteClassName()).isEqualTo(IllegalArgumentException.class.getName()));
                });
        assertThat(b.processCount()).isZero();
    }

    @Test
    void anInitThatTakesTooLong_failsAsAnInitTimeout() {
        assertThatThrownBy(() -> RemoteSpawn.spawn(a, "worker", b.nodeId(),
                SpawnOptions.builder().args("slow").initTimeout(Duration.ofMillis(200)).build()))
                .isInstanceOfSatisfying(RemoteSpawnInitException.class, e -> assertThat(e.timedOut()).isTrue());
    }

    @Test
    void aSpawnThatGetsNoAnswerInTime_failsWithASpawnTimeout() {
        assertThatThrownBy(() -> RemoteSpawn.spawn(a, "worker", b.nodeId(),
                SpawnOptions.builder().args("slow").initTimeout(Duration.ofSeconds(10)).timeout(Duration.ofMillis(300)).build()))
                .isInstanceOfSatisfying(RemoteSpawnTimeoutException.class,
                        e -> assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300)));
    }

    @Test
    void aSpawnOnANodeThatIsNotConnected_failsAtOnce() {
        assertThatThrownBy(() -> RemoteSpawn.spawn(a, "worker", NodeId.parse("ghost@127.0.0.1:9"), SpawnOptions.defaults()))
                .isInstanceOf(NodeNotReachableException.class);
    }
}
