package io.noex.distribution.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.noex.distribution.transport.ProtocolViolationException.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The limits on peers that have not authenticated: pending handshakes per source address and in
 * all (refused on accept, counted), the handshake timeout freeing their places, and the small frame
 * cap before the handshake (raised to the configured cap once it is done; the decoder's own cases
 * are in FrameLimitsTest).
 */
@Timeout(60)
class TransportLimitsTest {

    private static final byte[] SECRET = "cluster-secret".getBytes(StandardCharsets.UTF_8);

    private final TransportHarness net = new TransportHarness();
    private final List<RawPeer> raws = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (RawPeer r : raws) {
            r.close();
        }
        net.close();
    }

    private TransportHarness.Peer node(int total, int perAddress) {
        return net.start("node", 1, TransportHarness.config(Optional.of(SECRET), total, perAddress));
    }

    private RawPeer open(TransportHarness.Peer node, InetAddress from) throws IOException {
        RawPeer r = new RawPeer(node.id, from);
        raws.add(r);
        return r;
    }

    /** @return true if the node answered with its hello, false if it closed the connection at once */
    private static boolean greeted(RawPeer raw) throws IOException {
        try {
            return raw.receive() instanceof HandshakeMessage.Hello;
        } catch (EOFException | SocketException e) {
            return false;
        }
    }

    @Test
    void overThePerAddressLimit_connectionsAreClosedOnAccept_andCounted() throws Exception {
        TransportHarness.Peer node = node(100, 3);
        InetAddress local = InetAddress.getLoopbackAddress();
        List<Boolean> greetings = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RawPeer r = open(node, local);
            await().atMost(Duration.ofSeconds(5)).until(() -> node.transport.counters().pendingHandshakes()
                    + node.transport.counters().violations(Reason.PENDING_HANDSHAKE_LIMIT) == raws.size());
            greetings.add(greeted(r));
        }

        assertThat(greetings).containsExactly(true, true, true, false, false);
        assertThat(node.transport.counters().pendingHandshakes()).isEqualTo(3);
        assertThat(node.transport.counters().violations(Reason.PENDING_HANDSHAKE_LIMIT)).isEqualTo(2);

        raws.get(0).close(); // a place is free again
        await().atMost(Duration.ofSeconds(5)).until(() -> node.transport.counters().pendingHandshakes() == 2);
        assertThat(greeted(open(node, local))).isTrue();
    }

    @Test
    void theLimitInAll_appliesAcrossAddresses() throws Exception {
        TransportHarness.Peer node = node(4, 3);
        InetAddress one = InetAddress.getByName("127.0.0.1");
        InetAddress two = InetAddress.getByName("127.0.0.2");
        for (int i = 0; i < 3; i++) {
            assertThat(greeted(open(node, one))).isTrue();
        }

        assertThat(greeted(open(node, two))).isTrue();
        assertThat(greeted(open(node, two))).as("the fifth in all").isFalse();
        assertThat(node.transport.counters().violations(Reason.PENDING_HANDSHAKE_LIMIT)).isEqualTo(1);
    }

    @Test
    void theHandshakeTimeout_closesAPendingConnection_andFreesItsPlace() throws Exception {
        TransportHarness.Peer node = node(100, 1);
        RawPeer silent = open(node, null);
        assertThat(greeted(silent)).isTrue();
        assertThat(greeted(open(node, null))).isFalse();

        assertThat(silent.closedByPeer()).isTrue(); // the harness's handshake timeout is 2 s
        await().atMost(Duration.ofSeconds(5)).until(() -> node.transport.counters().pendingHandshakes() == 0);
        assertThat(greeted(open(node, null))).isTrue();
        assertThat(node.transport.counters().violations(Reason.HANDSHAKE_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void beforeTheHandshake_aFrameLargerThanAnyHandshakeMessage_isRefusedBeforeItArrives() throws Exception {
        TransportHarness.Peer node = node(100, 10);
        RawPeer raw = open(node, null);
        raw.sendRaw(new byte[] {0, 0, 0x27, 0x10}); // 10,000 bytes announced; far below the 16 MiB cap

        assertThat(raw.closedByPeer()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> node.transport.counters().violations(Reason.OVERSIZED_FRAME) == 1);
        assertThat(node.transport.counters().pendingHandshakes()).isZero();
    }

    @Test
    void afterTheHandshake_framesUpToTheConfiguredCapFlow() throws Exception {
        TransportHarness.Peer node = node(100, 10);
        try (RawPeer raw = new RawPeer(node.id)) {
            raw.handshake(io.noex.NodeId.parse("member@127.0.0.1:10"), 1, SECRET);
            byte[] big = new byte[200_000];
            java.util.Arrays.fill(big, (byte) 'x');
            raw.sendFrame(raw.signed(big));
            assertThat(node.nextFrame()).startsWith("member:xxx").hasSize("member:".length() + big.length);
        }
        assertThat(node.transport.counters().violations()).allSatisfy((reason, n) -> assertThat(n).as(reason.name()).isZero());
    }
}
