package io.noex.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.noex.CallResult;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.NodeNotReachableException;
import io.noex.distribution.BehaviorNotFoundException;
import io.noex.distribution.BehaviorRegistry;
import io.noex.distribution.ClusterConfig;
import io.noex.distribution.ClusterMembership;
import io.noex.distribution.GlobalNames;
import io.noex.distribution.MessageSerializationException;
import io.noex.distribution.Registration;
import io.noex.distribution.RemoteFailure;
import io.noex.distribution.RemoteSpawn;
import io.noex.distribution.RemoteSpawnInitException;
import io.noex.distribution.RemoteSpawnRegistrationException;
import io.noex.distribution.RemoteSpawnTimeoutException;
import io.noex.distribution.SpawnOptions;
import io.noex.distribution.SpawnResult;
import io.noex.testkit.CallServer.Echo;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Starting a registered behavior by name on another JVM (SPEC 4.5, issue 4 item 2), with each
 * registration, init arguments, and every error. Three nodes: this JVM's ({@code t}) and two
 * children ({@code b}, {@code c}), shared by the class: every test starts processes of its own
 * and none harms a node.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JvmRemoteSpawnTest {

    /** init(args): "fail" throws, "slow" sleeps 5 s; the state is the args; any call returns them. */
    public static final class Worker implements GenServerBehavior<List<Object>> {
        public Worker() {
        }

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

    /** The children's code: the "worker" behavior, and commands that act from inside the child. */
    public static final class Spawning implements JvmNodeSetup {
        public Spawning() {
        }

        @Override
        public void beforeStart(Node node) {
            CallServer.registerTypes(node);
            BehaviorRegistry.register(node, "worker", new Worker());
        }

        @Override
        public String command(Node node, String command) {
            String[] w = command.split(" ");
            return switch (w[0]) {
                case "spawn" -> RemoteSpawn.spawn(node, w[1], NodeId.parse(w[2]), SpawnOptions.builder().args("from-" + node.name())
                        .build()).ref().id();
                case "call" -> String.valueOf((Object) node.call(new GenServerRef(w[2], NodeId.parse(w[1])), "args"));
                case "call-global" -> String.valueOf((Object) node.call(GlobalNames.of(node).lookup(w[1]), "args"));
                case "whereis" -> node.names().whereis(w[1]).map(GenServerRef::id).orElse("none");
                case "global" -> GlobalNames.of(node).whereis(w[1]).map(GenServerRef::toString).orElse("none");
                case "processes" -> Integer.toString(node.processCount());
                default -> throw new IllegalArgumentException("no such command: " + command);
            };
        }
    }

    private final JvmCluster jvms = JvmCluster.create();
    private JvmNode b;
    private JvmNode c;
    private Node t;

    @RegisterExtension
    final AfterTestExecutionCallback childOutputOnFailure = context -> {
        if (context.getExecutionException().isPresent()) {
            for (JvmNode n : jvms.nodes()) {
                System.err.println(n.outputTail());
            }
        }
    };

    @BeforeAll
    void startCluster() {
        b = jvms.start("b", JvmNodeOptions.builder().setup(Spawning.class).build());
        c = jvms.start("c", JvmNodeOptions.builder().seeds(b.nodeId()).setup(Spawning.class).build());
        t = Node.create("t");
        CallServer.registerTypes(t);
        BehaviorRegistry.register(t, "worker", new Worker());
        ClusterMembership.of(t).start(ClusterConfig.builder().nodeName("t").host("127.0.0.1").port(0)
                .seeds(b.nodeId().toString()).build());
        await().atMost(Duration.ofSeconds(15)).until(() -> ClusterMembership.of(t).isNodeConnected(b.nodeId())
                && ClusterMembership.of(t).isNodeConnected(c.nodeId()) && c.connectedNodes().size() == 2);
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

    private static SpawnOptions.Builder options() {
        return SpawnOptions.builder();
    }

    @Test
    void spawnByName_onAnotherJvm_withInitArgs_isCallableFromEveryNode() {
        SpawnResult r = RemoteSpawn.spawn(t, "worker", b.nodeId(), options().args(1, "x", 2L, new Echo("a record")).build());

        assertThat(r.nodeId()).isEqualTo(b.nodeId());
        assertThat(r.ref()).isEqualTo(new GenServerRef(r.serverId(), b.nodeId()));
        assertThat((Object) t.call(r.ref(), "args")).isEqualTo(List.of(1, "x", 2L, new Echo("a record")));
        String expected = "[1, x, 2, Echo[value=a record]]";
        assertThat(b.command("call " + b.nodeId() + " " + r.serverId())).isEqualTo(expected);
        assertThat(c.command("call " + b.nodeId() + " " + r.serverId())).isEqualTo(expected);
    }

    @Test
    void aChildSpawnsOnTheOtherChild_andThisJvmCallsIt() {
        String id = c.command("spawn worker " + b.nodeId());
        assertThat((Object) t.call(new GenServerRef(id, b.nodeId()), "args")).isEqualTo(List.of("from-c"));
    }

    @Test
    void spawnOnTheLocalNode_works() {
        SpawnResult r = RemoteSpawn.spawn(t, "worker", t.nodeId(), options().args("here").build());
        assertThat(r.nodeId()).isEqualTo(t.nodeId());
        assertThat(c.command("call " + t.nodeId() + " " + r.serverId())).isEqualTo("[here]");
    }

    @Test
    void aLocalName_isRegisteredOnTheTarget_andCallableByNameFromEveryNode() {
        SpawnResult r = RemoteSpawn.spawn(t, "worker", b.nodeId(), options().name("w-local").args("L").build());
        assertThat(b.command("whereis w-local")).isEqualTo(r.serverId());
        assertThat((Object) t.call(new GenServerRef("w-local", b.nodeId()), "args")).isEqualTo(List.of("L"));
        assertThat(c.command("call " + b.nodeId() + " w-local")).isEqualTo("[L]");
        assertThat(GlobalNames.of(t).whereis("w-local")).isEmpty();
    }

    @Test
    void aGlobalName_isSeenByEveryNode_andTheProcessIsCallableThroughIt() {
        SpawnResult r = RemoteSpawn.spawn(t, "worker", c.nodeId(),
                options().name("w-global").registration(Registration.GLOBAL).args("G").build());
        assertThat(GlobalNames.of(t).whereis("w-global")).contains(r.ref());
        await().atMost(Duration.ofSeconds(10)).until(() -> b.command("global w-global").equals(r.ref().toString()));
        assertThat(b.command("call-global w-global")).isEqualTo("[G]");
        assertThat(c.command("whereis w-global")).as("a global name is not a local one").isEqualTo("none");
    }

    @Test
    void aNameWithRegistrationNone_registersNothing() {
        SpawnResult r = RemoteSpawn.spawn(t, "worker", b.nodeId(),
                options().name("w-none").registration(Registration.NONE).build());
        assertThat((Object) t.call(r.ref(), "args")).isEqualTo(List.of());
        assertThat(b.command("whereis w-none")).isEqualTo("none");
        assertThat(GlobalNames.of(t).whereis("w-none")).isEmpty();
    }

    @Test
    void aTakenName_failsWithARegistrationError_local_andGlobal() {
        RemoteSpawn.spawn(t, "worker", b.nodeId(), options().name("taken").build());
        assertThatThrownBy(() -> RemoteSpawn.spawn(t, "worker", b.nodeId(), options().name("taken").build()))
                .isInstanceOfSatisfying(RemoteSpawnRegistrationException.class, e -> {
                    assertThat(e.name()).isEqualTo("taken");
                    assertThat(e.nodeId()).isEqualTo(b.nodeId());
                });

        RemoteSpawn.spawn(t, "worker", b.nodeId(), options().name("g-taken").registration(Registration.GLOBAL).build());
        int onC = Integer.parseInt(c.command("processes"));
        assertThatThrownBy(() -> RemoteSpawn.spawn(t, "worker", c.nodeId(),
                options().name("g-taken").registration(Registration.GLOBAL).build()))
                .isInstanceOf(RemoteSpawnRegistrationException.class)
                .hasMessageContaining("g-taken");
        // The process that lost the name is not left behind.
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.parseInt(c.command("processes")) == onC);
    }

    @Test
    void anUnknownBehavior_failsNamingItAndTheNode() {
        assertThatThrownBy(() -> RemoteSpawn.spawn(t, "nope", b.nodeId(), SpawnOptions.defaults()))
                .isInstanceOfSatisfying(BehaviorNotFoundException.class, e -> {
                    assertThat(e.behaviorName()).isEqualTo("nope");
                    assertThat(e.nodeId()).isEqualTo(b.nodeId());
                });
    }

    @Test
    void anInitThatThrows_failsWithTheRemoteCause_andLeavesNoProcess() {
        int before = Integer.parseInt(b.command("processes"));
        assertThatThrownBy(() -> RemoteSpawn.spawn(t, "worker", b.nodeId(), options().args("fail").build()))
                .isInstanceOfSatisfying(RemoteSpawnInitException.class, e -> {
                    assertThat(e.timedOut()).isFalse();
                    assertThat(e.getMessage()).contains("bad args");
                    assertThat(e.getCause()).isInstanceOfSatisfying(RemoteFailure.class, f -> {
                        assertThat(f.remoteClassName()).isEqualTo(IllegalArgumentException.class.getName());
                        assertThat(f.getStackTrace()).isNotEmpty();
                    });
                });
        assertThat(Integer.parseInt(b.command("processes"))).isEqualTo(before);
    }

    @Test
    void anInitThatTakesTooLong_failsAsAnInitTimeout() {
        assertThatThrownBy(() -> RemoteSpawn.spawn(t, "worker", b.nodeId(),
                options().args("slow").initTimeout(Duration.ofMillis(300)).build()))
                .isInstanceOfSatisfying(RemoteSpawnInitException.class, e -> assertThat(e.timedOut()).isTrue());
    }

    @Test
    void aSpawnThatGetsNoAnswerInTime_failsWithASpawnTimeout() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> RemoteSpawn.spawn(t, "worker", b.nodeId(),
                options().args("slow").initTimeout(Duration.ofSeconds(10)).timeout(Duration.ofMillis(300)).build()))
                .isInstanceOfSatisfying(RemoteSpawnTimeoutException.class,
                        e -> assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300)));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(290), Duration.ofSeconds(3));
    }

    @Test
    void anUnserializableInitArgument_failsAtTheSender() {
        assertThatThrownBy(() -> RemoteSpawn.spawn(t, "worker", b.nodeId(), options().args(new Object()).build()))
                .isInstanceOf(MessageSerializationException.class)
                .hasMessageContaining("java.lang.Object");
    }

    @Test
    void aSpawnOnANodeThatIsNotConnected_failsAtOnce() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> RemoteSpawn.spawn(t, "worker", NodeId.parse("ghost@127.0.0.1:9"), SpawnOptions.defaults()))
                .isInstanceOf(NodeNotReachableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    }
}
