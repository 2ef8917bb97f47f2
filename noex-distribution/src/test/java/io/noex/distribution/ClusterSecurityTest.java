package io.noex.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.noex.CallResult;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeNotReachableException;
import io.noex.StartOptions;
import io.noex.distribution.serialization.MessageType;
import io.noex.distribution.transport.ProtocolViolationException.Reason;
import io.noex.distribution.transport.RawPeer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * With a cluster secret, a peer without it can perform no remote operation, and a frame captured
 * from a member cannot be replayed or reordered. A real member {@code m} performs every remote
 * operation on the target {@code t} through a {@link RecordingRelay}, which records the frames it
 * sent: call, cast, send, spawn, global register/unregister (registry sync), monitor, link, the
 * control ops (isRunning, stop) and gossip, heartbeat and node-down. (Distributed supervisors are
 * built from these same messages: spawn, calls, control and registry sync.) Then an attacker
 * without the secret sends each captured message to {@code t} in every way it can: with no
 * handshake, unsigned or as captured; after a hello with a wrong secret's proof; after a hello
 * claiming no secret; and after replaying the member's captured handshake. Each is refused and
 * counted, and nothing is executed: no frame reaches {@code t}'s handlers and every effect the
 * member's real operations had stays as it was.
 */
@Timeout(120)
class ClusterSecurityTest {

    private static final String SECRET = "the-cluster-secret";
    private static final int MAC_BYTES = 32;
    private static final Duration WAIT = Duration.ofSeconds(15);

    /** Records every call, cast and info it gets. */
    public static final class Recorder implements GenServerBehavior<Integer> {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public Integer init(List<Object> args) {
            return 0;
        }

        @Override
        public CallResult<Integer> handleCall(Object msg, Integer s) {
            events.add("call:" + msg);
            return CallResult.reply("ok", s);
        }

        @Override
        public Integer handleCast(Object msg, Integer s) {
            events.add("cast:" + msg);
            return s;
        }

        @Override
        public Integer handleInfo(Object msg, Integer s) {
            events.add("info:" + msg);
            return s;
        }
    }

    /** A behavior remote nodes may spawn; counts how often it was started. */
    public static final class Spawnable implements GenServerBehavior<Integer> {
        final AtomicInteger started = new AtomicInteger();

        @Override
        public Integer init(List<Object> args) {
            started.incrementAndGet();
            return 0;
        }

        @Override
        public CallResult<Integer> handleCall(Object msg, Integer s) {
            return CallResult.reply(s, s);
        }

        @Override
        public Integer handleCast(Object msg, Integer s) {
            return s;
        }
    }

    private final Spawnable spawnable = new Spawnable();
    private final Recorder recorder = new Recorder();
    private ClusterNodes cluster;
    private RecordingRelay relay;
    private Node t;
    private Node m;
    private GenServerRef counter;

    @BeforeEach
    void start() throws IOException {
        relay = new RecordingRelay();
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        relay.forwardTo(port);
        cluster = new ClusterNodes(n -> BehaviorRegistry.register(n, "spawnable", spawnable));
        t = cluster.start("t", b -> b.port(port).advertisedPort(relay.port()).clusterSecret(SECRET));
        m = cluster.start("m", b -> b.clusterSecret(SECRET).reconnectBaseDelay(Duration.ofMillis(50))
                .reconnectMaxDelay(Duration.ofMillis(200)), t);
        ClusterNodes.awaitMesh(t, m);
        counter = t.start(recorder, StartOptions.builder().name("counter").build());
    }

    @AfterEach
    void stop() throws IOException {
        cluster.close();
        relay.close();
    }

    private ClusterMetrics metricsOf(Node n) {
        return ClusterMembership.of(n).metrics().orElseThrow();
    }

    private long rejected(Node n, Reason reason) {
        return metricsOf(n).rejectedConnections().getOrDefault(reason.name().toLowerCase(java.util.Locale.ROOT), 0L);
    }

    private static int typeCode(byte[] envelope) {
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(envelope)) {
            in.unpackArrayHeader();
            in.unpackInt();
            return in.unpackInt();
        } catch (IOException e) {
            throw new AssertionError("not an envelope", e);
        }
    }

    /** The member's signed data frames of the first relayed session, first one of each type. */
    private Map<MessageType, byte[]> capturedByType(List<byte[]> frames) {
        Map<MessageType, byte[]> out = new LinkedHashMap<>();
        for (byte[] signed : frames.subList(2, frames.size())) { // after hello and proof
            MessageType type = MessageType.ofCode(typeCode(Arrays.copyOf(signed, signed.length - MAC_BYTES)));
            out.putIfAbsent(type, signed);
        }
        return out;
    }

    /** Everything the member's real operations did on {@code t}, to compare after the attacks. */
    private record Effects(List<String> events, int spawned, int processes, int watches, int links,
                           List<String> globalNames, boolean stopMeRunning, List<String> members, long framesIn) {
    }

    private Effects effects() {
        var signals = ClusterMembership.of(t).signals().orElseThrow();
        return new Effects(List.copyOf(recorder.events), spawnable.started.get(), t.processCount(), signals.watchesServed(),
                signals.links(), GlobalNames.of(t).getNames(), t.isRunning(new GenServerRef("stopme", t.nodeId())),
                ClusterMembership.of(t).nodes().stream().map(i -> i.id() + "/" + i.status()).sorted().toList(),
                ClusterMembership.of(t).runtime().orElseThrow().transportCounters().framesIn());
    }

    @Test
    void withoutTheSecret_noRemoteOperationCanBePerformed_norACapturedOneReplayed() throws Exception {
        GenServerRef victim = t.start(new Recorder(), StartOptions.builder().name("victim").build());
        t.start(new Recorder(), StartOptions.builder().name("stopme").build());
        GenServerRef linked = t.start(new Recorder(), StartOptions.builder().name("linked").trapExit(true).build());
        var signalsOfT = ClusterMembership.of(t).signals().orElseThrow();

        // The member performs every remote operation once, for real, through the relay.
        assertThat((Object) m.call(counter, "c1")).isEqualTo("ok");
        m.cast(counter, "k1");
        m.send(counter, "i1");
        RemoteSpawn.spawn(m, "spawnable", t.nodeId(), SpawnOptions.builder().build());
        GenServerRef onM = m.start(new Recorder());
        GlobalNames.of(m).register("g1", onM);
        await().atMost(WAIT).until(() -> GlobalNames.of(t).whereis("g1").isPresent());
        assertThat(GlobalNames.of(m).unregister("g1")).isTrue();
        await().atMost(WAIT).until(() -> GlobalNames.of(t).whereis("g1").isEmpty());
        m.monitor(victim, (ref, why) -> { });
        await().atMost(WAIT).until(() -> signalsOfT.watchesServed() == 1);
        m.link(m.start(new Recorder(), StartOptions.builder().trapExit(true).build()), linked);
        await().atMost(WAIT).until(() -> signalsOfT.links() == 1);
        assertThat(m.isRunning(victim)).isTrue();
        m.stop(new GenServerRef("stopme", t.nodeId()));
        await().atMost(WAIT).until(() -> !t.isRunning(new GenServerRef("stopme", t.nodeId())));
        t.start(new Recorder(), StartOptions.builder().name("stopme").build());
        await().atMost(WAIT).until(() -> recorder.events.size() == 3);
        assertThat(spawnable.started).hasValue(1);
        ClusterMembership.of(m).stop(); // sends node_down; t forgets m's monitor and link
        await().atMost(WAIT).until(() -> signalsOfT.watchesServed() == 0 && signalsOfT.links() == 0
                && ClusterMembership.of(t).connectedNodes().isEmpty());

        List<byte[]> session = relay.sessions().get(0).frames;
        Map<MessageType, byte[]> captured = capturedByType(session);
        assertThat(captured.keySet()).as("the member sent every kind of operation through the relay").containsAll(EnumSet.of(
                MessageType.CALL, MessageType.CAST, MessageType.SEND, MessageType.SPAWN_REQUEST, MessageType.REGISTRY_SYNC,
                MessageType.MONITOR_REQUEST, MessageType.LINK_REQUEST, MessageType.CONTROL_REQUEST, MessageType.GOSSIP,
                MessageType.HEARTBEAT, MessageType.NODE_DOWN));
        Effects before = effects();
        long badHandshakes = rejected(t, Reason.BAD_HANDSHAKE);
        long authFailures = rejected(t, Reason.AUTHENTICATION_FAILED);

        for (Map.Entry<MessageType, byte[]> e : captured.entrySet()) {
            byte[] signed = e.getValue();
            byte[] unsigned = Arrays.copyOf(signed, signed.length - MAC_BYTES);
            String what = e.getKey().name();
            // 1. no handshake at all: the envelope alone, then the signed frame as captured
            attack(what + " without a handshake", raw -> raw.sendFrame(unsigned));
            attack(what + " signed, without a handshake", raw -> raw.sendFrame(signed));
            // 2. a hello, then a proof made with a wrong secret
            attack(what + " after a wrong secret", raw -> {
                raw.sendHello("intruder@127.0.0.1:9", true);
                raw.receiveHello();
                raw.sendProof("guessed".getBytes(StandardCharsets.UTF_8), "intruder@127.0.0.1:9");
                raw.sendFrame(signed);
            });
            // 3. a hello that claims no secret
            attack(what + " claiming no secret", raw -> {
                raw.sendHello("intruder@127.0.0.1:9", false);
                raw.sendFrame(unsigned);
            });
            // 4. the member's captured handshake replayed on a new connection, then the frame
            attack(what + " after a replayed handshake", raw -> {
                raw.sendFrame(session.get(0));
                raw.sendFrame(session.get(1));
                raw.sendFrame(signed);
            });
        }

        int kinds = captured.size();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(rejected(t, Reason.BAD_HANDSHAKE) - badHandshakes).isEqualTo(2L * kinds);
            assertThat(rejected(t, Reason.AUTHENTICATION_FAILED) - authFailures).isEqualTo(3L * kinds);
        });
        assertThat(effects()).as("nothing the attacker sent was executed").isEqualTo(before);
        assertThat(before.framesIn()).isPositive();
        assertThat(before.events()).containsExactlyInAnyOrder("call:c1", "cast:k1", "info:i1");
        assertThat(before.globalNames()).doesNotContain("g1");
        assertThat(before.stopMeRunning()).isTrue();
    }

    /** What an attacker does on a fresh connection to {@code t}. */
    @FunctionalInterface
    private interface Attack {
        void run(RawPeer raw) throws IOException;
    }

    private void attack(String what, Attack attack) throws IOException {
        try (RawPeer raw = new RawPeer(t.nodeId())) {
            try {
                attack.run(raw);
            } catch (IOException e) {
                // the node closed the connection while the attacker was still writing: refused
            }
            assertThat(raw.closedByPeer()).as(what + ": the node closes the connection").isTrue();
        }
    }

    @Test
    void aCapturedFrameInjectedIntoTheLiveConnection_isRejected_andNotExecutedTwice() throws Exception {
        m.cast(counter, "once");
        await().atMost(WAIT).until(() -> recorder.events.contains("cast:once"));
        RecordingRelay.Session session = relay.sessions().get(0);
        byte[] cast = capturedByType(session.frames).get(MessageType.CAST);
        long badSignatures = rejected(t, Reason.BAD_SIGNATURE);

        session.inject(cast); // the same bytes again: its sequence number is spent

        await().atMost(WAIT).until(() -> rejected(t, Reason.BAD_SIGNATURE) == badSignatures + 1);
        assertThat(recorder.events).containsOnlyOnce("cast:once");
        // The member reconnects by itself, and the cluster works again.
        ClusterNodes.awaitMesh(t, m);
        assertThat((Object) m.call(counter, "after")).isEqualTo("ok");
        assertThat(recorder.events).containsOnlyOnce("cast:once");
    }

    @Test
    void twoFramesSwappedOnTheWay_areRejected_andNeverExecutedOutOfOrder() throws Exception {
        long badSignatures = rejected(t, Reason.BAD_SIGNATURE);
        relay.sessions().get(0).swapNextTwo();

        m.cast(counter, "first");
        m.cast(counter, "second");

        await().atMost(WAIT).until(() -> rejected(t, Reason.BAD_SIGNATURE) == badSignatures + 1);
        List<String> seen = new ArrayList<>(recorder.events);
        assertThat(seen.indexOf("cast:second") < 0 || seen.indexOf("cast:first") < seen.indexOf("cast:second"))
                .as("never executed out of order: %s", seen).isTrue();
        ClusterNodes.awaitMesh(t, m);
        assertThat((Object) m.call(counter, "after")).isEqualTo("ok");
    }

    @Test
    void aNodeWithAWrongSecret_cannotJoin_norCall() {
        Node w = cluster.start("w", b -> b.clusterSecret("not-the-secret").reconnectBaseDelay(Duration.ofMillis(50))
                .reconnectMaxDelay(Duration.ofMillis(200)), t);

        await().atMost(WAIT).until(() -> rejected(t, Reason.AUTHENTICATION_FAILED) >= 2);
        assertThat(ClusterMembership.of(t).isNodeConnected(w.nodeId())).isFalse();
        assertThatThrownBy(() -> w.call(counter, "let me in")).isInstanceOf(NodeNotReachableException.class);
        assertThat(recorder.events).isEmpty();
        assertThat(Set.copyOf(ClusterMembership.of(t).connectedNodes().stream().map(NodeInfo::id).toList()))
                .containsExactly(m.nodeId());
    }
}
