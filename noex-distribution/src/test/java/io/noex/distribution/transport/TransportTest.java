package io.noex.distribution.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.noex.NodeId;
import io.noex.distribution.transport.ProtocolViolationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TransportTest {

    private final TransportHarness net = new TransportHarness();

    @AfterEach
    void close() {
        net.close();
    }

    private static Optional<byte[]> secret(String s) {
        return Optional.of(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void awaitConnected(TransportHarness.Peer a, TransportHarness.Peer b) {
        await().atMost(Duration.ofSeconds(10)).until(() ->
                a.transport.connection(b.id).isPresent() && b.transport.connection(a.id).isPresent());
    }

    @Test
    void twoNodes_connectAndExchangeFramesBothWays() throws Exception {
        var a = net.start("a");
        var b = net.start("b");
        a.transport.connect(b.id);
        awaitConnected(a, b);
        assertThat(a.send(b.id, "hello b")).isTrue();
        assertThat(b.nextFrame()).isEqualTo("a:hello b");
        assertThat(b.send(a.id, "hello a")).isTrue();
        assertThat(a.nextFrame()).isEqualTo("b:hello a");
        assertThat(a.transport.connection(b.id).orElseThrow().outbound()).isTrue();
        assertThat(b.transport.connection(a.id).orElseThrow().outbound()).isFalse();
    }

    @Test
    void framesArriveInOrder_andBatchedWritesLoseNothing() throws Exception {
        var a = net.start("a");
        var b = net.start("b");
        a.transport.connect(b.id);
        awaitConnected(a, b);
        int n = 20_000;
        Thread[] senders = new Thread[1];
        senders[0] = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < n; i++) {
                while (!a.send(b.id, Integer.toString(i))) {
                    Thread.onSpinWait();
                }
            }
        });
        for (int i = 0; i < n; i++) {
            assertThat(b.nextFrame()).isEqualTo("a:" + i);
        }
        senders[0].join();
    }

    @Test
    void withTheSameSecret_framesAreSignedAndVerified() throws Exception {
        var a = net.start("a", 1, TransportHarness.config(secret("s3cret")));
        var b = net.start("b", 1, TransportHarness.config(secret("s3cret")));
        a.transport.connect(b.id);
        awaitConnected(a, b);
        for (int i = 0; i < 100; i++) {
            a.send(b.id, "m" + i);
            b.send(a.id, "r" + i);
        }
        for (int i = 0; i < 100; i++) {
            assertThat(b.nextFrame()).isEqualTo("a:m" + i);
            assertThat(a.nextFrame()).isEqualTo("b:r" + i);
        }
    }

    @Test
    void aWrongSecret_isRefusedBeforeAnyFrame_andCounted() {
        var a = net.start("a", 1, TransportHarness.config(secret("right")));
        var b = net.start("b", 1, TransportHarness.config(secret("wrong")));
        a.transport.connect(b.id);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                b.transport.counters().violations(Reason.AUTHENTICATION_FAILED) > 0
                        && a.transport.counters().violations(Reason.AUTHENTICATION_FAILED) > 0);
        assertThat(a.connected).isEmpty();
        assertThat(b.connected).isEmpty();
        a.transport.forget(b.id);
    }

    @Test
    void aSecretOnOneSideOnly_isRefused() {
        var a = net.start("a", 1, TransportHarness.config(secret("only-a")));
        var b = net.start("b");
        b.transport.connect(a.id);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                a.transport.counters().violations(Reason.AUTHENTICATION_FAILED) > 0);
        assertThat(a.connected).isEmpty();
        b.transport.forget(a.id);
    }

    @Test
    void simultaneousDials_collapseIntoOneConnection() throws Exception {
        for (int round = 0; round < 10; round++) {
            var a = net.start("a" + round);
            var b = net.start("b" + round);
            Thread t = Thread.ofPlatform().start(() -> a.transport.connect(b.id));
            b.transport.connect(a.id);
            t.join();
            awaitConnected(a, b);
            Connection ab = a.transport.connection(b.id).orElseThrow();
            Connection ba = b.transport.connection(a.id).orElseThrow();
            assertThat(ab.remoteAddress().getPort()).as("both ends keep the same TCP connection")
                    .isEqualTo(((java.net.InetSocketAddress) ba.channel().localAddress()).getPort());
            assertThat(a.transport.connections()).hasSize(1);
            assertThat(b.transport.connections()).hasSize(1);
            assertThat(a.send(b.id, "x")).isTrue();
            assertThat(b.nextFrame()).isEqualTo(a.id.name() + ":x");
        }
    }

    @Test
    void aPeerThatIsNotUpYet_isDialedAgainUntilItIs() throws Exception {
        var a = net.start("a");
        var b = net.start("b");
        NodeId bId = b.id;
        b.transport.stop();
        a.transport.connect(bId);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.transport.counters().failedDials() >= 2);
        var b2 = net.start("b", 1, new TransportConfig("127.0.0.1", bId.port(), Optional.empty(), 16 << 20,
                Duration.ofSeconds(2), Duration.ofSeconds(2), 1, 4 << 20, Optional.empty(), Optional.empty()));
        assertThat(b2.id).isEqualTo(bId);
        awaitConnected(a, b2);
        assertThat(a.send(bId, "late")).isTrue();
        assertThat(b2.nextFrame()).isEqualTo("a:late");
    }

    @Test
    void aDroppedConnection_isReported_andRedialed() throws Exception {
        var a = net.start("a");
        var b = net.start("b");
        a.transport.connect(b.id);
        awaitConnected(a, b);
        b.transport.connection(a.id).orElseThrow().close();
        await().atMost(Duration.ofSeconds(5)).until(() -> !a.disconnected.isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> a.connected.size() == 2);
        awaitConnected(a, b);
    }

    @Test
    void aRestartedPeer_withAHigherIncarnation_replacesTheOldConnection() throws Exception {
        var a = net.start("a");
        var b = net.start("b", 1, TransportHarness.config(Optional.empty()));
        a.transport.connect(b.id);
        awaitConnected(a, b);
        // b "restarts" (same NodeId, higher incarnation) without a's connection noticing first:
        // the old transport keeps its socket open while the new one dials a.
        int port = b.id.port();
        b.transport.stop();
        var b2 = net.start("b", 2, new TransportConfig("127.0.0.1", port, Optional.empty(), 16 << 20,
                Duration.ofSeconds(2), Duration.ofSeconds(2), 1, 4 << 20, Optional.empty(), Optional.empty()));
        b2.transport.connect(a.id);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                a.transport.connection(b2.id).map(c -> c.incarnation() == 2).orElse(false));
        assertThat(a.disconnected).extracting(Connection::incarnation).contains(1L);
    }

    @Test
    void stop_releasesThePort() {
        var a = net.start("a");
        int port = a.id.port();
        a.transport.stop();
        var again = net.start("a", 1, new TransportConfig("127.0.0.1", port, Optional.empty(), 16 << 20,
                Duration.ofSeconds(2), Duration.ofSeconds(2), 1, 4 << 20, Optional.empty(), Optional.empty()));
        assertThat(again.id.port()).isEqualTo(port);
    }
}
