package io.noex.distribution.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.noex.NodeId;
import io.noex.distribution.ProtocolVersion;
import io.noex.distribution.transport.ProtocolViolationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a node does with broken or hostile peers: each is closed with a typed reason and counted,
 * and a healthy connection beside it keeps working.
 */
@Timeout(60)
class TransportHostileInputTest {

    private static final byte[] SECRET = "cluster-secret".getBytes(StandardCharsets.UTF_8);

    private final TransportHarness net = new TransportHarness();
    private TransportHarness.Peer node;
    private TransportHarness.Peer healthy;

    @BeforeEach
    void start() {
        node = net.start("node", 1, TransportHarness.config(Optional.of(SECRET)));
        healthy = net.start("healthy", 1, TransportHarness.config(Optional.of(SECRET)));
        healthy.transport.connect(node.id);
        await().atMost(Duration.ofSeconds(10)).until(() -> node.transport.connection(healthy.id).isPresent());
    }

    @AfterEach
    void stop() {
        net.close();
    }

    private long violations(Reason r) {
        return node.transport.counters().violations(r);
    }

    /** The healthy peer can still talk to the node, both ways. */
    private void assertHealthyConnectionStillWorks() throws InterruptedException {
        assertThat(healthy.send(node.id, "still there?")).isTrue();
        assertThat(node.nextFrame()).isEqualTo("healthy:still there?");
        assertThat(node.send(healthy.id, "yes")).isTrue();
        assertThat(healthy.nextFrame()).isEqualTo("node:yes");
    }

    @Test
    void aLengthPrefixOverTheCap_closesThatConnectionOnly() throws Exception {
        try (RawPeer raw = new RawPeer(node.id)) {
            raw.sendRaw(new byte[] {(byte) 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            assertThat(raw.closedByPeer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> violations(Reason.OVERSIZED_FRAME) == 1);
        assertHealthyConnectionStillWorks();
    }

    @Test
    void randomBytes_closeThatConnectionOnly() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            try (RawPeer raw = new RawPeer(node.id)) {
                byte[] junk = new byte[1 + random.nextInt(300)];
                random.nextBytes(junk);
                raw.sendRaw(junk);
                raw.socket.shutdownOutput();
                assertThat(raw.closedByPeer()).isTrue();
            }
        }
        assertHealthyConnectionStillWorks();
        assertThat(node.connected).hasSize(1);
    }

    @Test
    void aDataFrameBeforeTheHandshake_isRefused() throws Exception {
        try (RawPeer raw = new RawPeer(node.id)) {
            raw.sendFrame("not a hello".getBytes(StandardCharsets.UTF_8));
            assertThat(raw.closedByPeer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> violations(Reason.BAD_HANDSHAKE) == 1);
        assertHealthyConnectionStillWorks();
    }

    @Test
    void aTruncatedFrame_thenSilence_endsAtTheHandshakeTimeout() throws Exception {
        try (RawPeer raw = new RawPeer(node.id)) {
            raw.sendRaw(new byte[] {0, 0, 0, 100, 1, 2, 3});
            assertThat(raw.closedByPeer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> violations(Reason.HANDSHAKE_TIMEOUT) == 1);
    }

    @Test
    void aPeerThatConnectsAndSendsNothing_isClosedAtTheHandshakeTimeout() throws Exception {
        try (RawPeer raw = new RawPeer(node.id)) {
            assertThat(raw.receive()).isInstanceOf(HandshakeMessage.Hello.class);
            long t0 = System.nanoTime();
            assertThat(raw.closedByPeer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> violations(Reason.HANDSHAKE_TIMEOUT) == 1);
        assertHealthyConnectionStillWorks();
    }

    @Test
    void anUnsupportedProtocolVersion_isRefused() throws Exception {
        try (RawPeer raw = new RawPeer(node.id)) {
            raw.send(new HandshakeMessage.Hello(ProtocolVersion.CURRENT + 7, "future@127.0.0.1:1", 1, raw.nonce, true));
            assertThat(raw.closedByPeer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> violations(Reason.UNSUPPORTED_VERSION) == 1);
        assertHealthyConnectionStillWorks();
    }

    @Test
    void aWrongSecret_isRefused_andTheAttackerGetsNoWelcome() throws Exception {
        try (RawPeer raw = new RawPeer(node.id)) {
            NodeId fake = NodeId.parse("intruder@127.0.0.1:9");
            raw.send(new HandshakeMessage.Hello(ProtocolVersion.CURRENT, fake.toString(), 1, raw.nonce, true));
            HandshakeMessage.Hello theirs = (HandshakeMessage.Hello) raw.receive();
            raw.send(new HandshakeMessage.Proof(Crypto.proof("guess".getBytes(StandardCharsets.UTF_8),
                    theirs.nonce(), fake.toString(), theirs.nodeId())));
            // The node still sends its own proof (it answered our hello), but never a welcome.
            assertThat(raw.receive()).isInstanceOf(HandshakeMessage.Proof.class);
            assertThat(raw.closedByPeer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> violations(Reason.AUTHENTICATION_FAILED) == 1);
        assertThat(node.connected).hasSize(1);
        assertHealthyConnectionStillWorks();
    }

    @Test
    void aReplayedFrame_isRejected_andClosesTheConnection() throws Exception {
        try (RawPeer raw = new RawPeer(node.id)) {
            raw.handshake(NodeId.parse("member@127.0.0.1:10"), 1, SECRET);
            byte[] first = raw.signed("one".getBytes(StandardCharsets.UTF_8));
            raw.sendFrame(first);
            assertThat(node.nextFrame()).isEqualTo("member:one");
            raw.sendFrame(first); // the same bytes again: its sequence number is now wrong
            assertThat(raw.closedByPeer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> violations(Reason.BAD_SIGNATURE) == 1);
        assertHealthyConnectionStillWorks();
    }

    @Test
    void reorderedFrames_areRejected() throws Exception {
        try (RawPeer raw = new RawPeer(node.id)) {
            raw.handshake(NodeId.parse("member@127.0.0.1:10"), 1, SECRET);
            byte[] first = raw.signed("one".getBytes(StandardCharsets.UTF_8));
            byte[] second = raw.signed("two".getBytes(StandardCharsets.UTF_8));
            raw.sendFrame(second);
            raw.sendFrame(first);
            assertThat(raw.closedByPeer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> violations(Reason.BAD_SIGNATURE) == 1);
        assertThat(node.frames).isEmpty();
    }

    @Test
    void aForgedSignature_isRejected() throws Exception {
        try (RawPeer raw = new RawPeer(node.id)) {
            raw.handshake(NodeId.parse("member@127.0.0.1:10"), 1, SECRET);
            byte[] frame = raw.signed("pay me".getBytes(StandardCharsets.UTF_8));
            frame[0] ^= 1;
            raw.sendFrame(frame);
            assertThat(raw.closedByPeer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> violations(Reason.BAD_SIGNATURE) == 1);
        assertThat(node.frames).isEmpty();
    }

    @Test
    void aPeerClaimingTheNodeIdOfAConnectedMember_isRefused() throws Exception {
        try (RawPeer raw = new RawPeer(node.id)) {
            raw.send(new HandshakeMessage.Hello(ProtocolVersion.CURRENT, healthy.id.toString(), 1, raw.nonce, true));
            HandshakeMessage.Hello theirs = (HandshakeMessage.Hello) raw.receive();
            raw.send(new HandshakeMessage.Proof(Crypto.proof(SECRET, theirs.nonce(), healthy.id.toString(), theirs.nodeId())));
            raw.receive(); // their proof
            assertThat(raw.receive()).isInstanceOfSatisfying(HandshakeMessage.Reject.class,
                    r -> assertThat(r.reason()).contains("already connected"));
        }
        assertHealthyConnectionStillWorks();
    }

    @Test
    void aPeerClaimingThisNodesOwnNodeId_isRefused() throws Exception {
        try (RawPeer raw = new RawPeer(node.id)) {
            raw.send(new HandshakeMessage.Hello(ProtocolVersion.CURRENT, node.id.toString(), 1, raw.nonce, true));
            raw.receive();
            assertThat(raw.closedByPeer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> violations(Reason.IDENTITY_MISMATCH) == 1);
    }

    @Test
    void whenTheDialedAddressAnswersWithAnotherNodeId_theDialerRefusesIt() throws Exception {
        var impostor = net.start("impostor", 1, TransportHarness.config(Optional.of(SECRET)));
        NodeId expected = NodeId.create("expected", "127.0.0.1", impostor.id.port());
        node.transport.connect(expected);
        await().atMost(Duration.ofSeconds(5)).until(() -> violations(Reason.IDENTITY_MISMATCH) >= 1);
        assertThat(node.transport.connection(expected)).isEmpty();
        node.transport.forget(expected);
        assertHealthyConnectionStillWorks();
    }
}
