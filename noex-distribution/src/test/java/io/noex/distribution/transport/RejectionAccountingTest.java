package io.noex.distribution.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.noex.Node;
import io.noex.distribution.ClusterConfig;
import io.noex.distribution.ClusterMembership;
import io.noex.distribution.ClusterMetrics;
import io.noex.distribution.serialization.MessageType;
import io.noex.distribution.serialization.TypeRegistry;
import io.noex.distribution.serialization.WireCodec;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regressions found by {@link LiveNodeFuzzTest}, each on a live clustered node: a rejected
 * connection is counted once even when more bad bytes follow in the same read, and a member's
 * frame whose body names an invalid NodeId is dropped and counted without closing its connection.
 */
@Timeout(60)
class RejectionAccountingTest {

    private Node node;
    private final WireCodec codec = new WireCodec(new TypeRegistry(), r -> r);

    @BeforeEach
    void start() {
        node = Node.create("node");
        ClusterMembership.of(node).start(ClusterConfig.builder().nodeName("node").host("127.0.0.1").port(0).build());
    }

    @AfterEach
    void stop() {
        ClusterMembership.of(node).stop();
        node.close();
    }

    private ClusterMetrics metrics() {
        return ClusterMembership.of(node).metrics().orElseThrow();
    }

    private static long total(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void aBadHelloFollowedByAnOversizedHeaderInTheSameWrite_isCountedOnce() throws IOException {
        byte[] junk = FuzzCorpus.framed(new byte[] {(byte) 0x91, 0x01}); // [1]: not a handshake message
        byte[] both = ByteBuffer.allocate(junk.length + 8).put(junk).putInt(0x7fff_ffff).putInt(0).array();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", node.nodeId().port()), 5_000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write(both);
            assertThat(closedByPeer(s.getInputStream())).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics().rejectedConnections().get("bad_handshake") == 1);
        assertThat(total(metrics().rejectedConnections())).isEqualTo(1);
        assertThat(metrics().rejectedConnections().get("oversized_frame")).isZero();
    }

    @Test
    void aBadSignatureFollowedByAnOversizedHeaderInTheSameWrite_isCountedOnce() throws IOException {
        Node secured = Node.create("secured");
        ClusterMembership.of(secured).start(ClusterConfig.builder().nodeName("secured").host("127.0.0.1").port(0)
                .clusterSecret("s3cret").build());
        try (RawPeer raw = new RawPeer(secured.nodeId())) {
            raw.handshake(FuzzCorpus.FUZZER, 1, "s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] forged = new byte[40]; // 8 bytes of data and a signature of zeros
            byte[] both = ByteBuffer.allocate(4 + forged.length + 8).putInt(forged.length).put(forged)
                    .putInt(0x7fff_ffff).putInt(0).array();
            raw.sendRaw(both);
            assertThat(raw.closedByPeer()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    ClusterMembership.of(secured).metrics().orElseThrow().rejectedConnections().get("bad_signature") == 1);
            Map<String, Long> rejected = ClusterMembership.of(secured).metrics().orElseThrow().rejectedConnections();
            assertThat(total(rejected)).as("%s", rejected).isEqualTo(1);
        } finally {
            ClusterMembership.of(secured).stop();
            secured.close();
        }
    }

    @Test
    void gossipAndAShutdownNoticeNamingAnInvalidNodeId_areDropped_andTheConnectionStays() throws IOException {
        try (RawPeer raw = new RawPeer(node.nodeId())) {
            raw.handshake(FuzzCorpus.FUZZER, 1, null);
            long dropped = metrics().droppedFrames();
            raw.sendFrame(codec.encode(MessageType.GOSSIP, FuzzCorpus.FUZZER, 1, (out, v) -> {
                out.packArrayHeader(1);
                out.packArrayHeader(2).packString("no-at-sign").packLong(1);
            }));
            raw.sendFrame(codec.encode(MessageType.NODE_DOWN, FuzzCorpus.FUZZER, 1, (out, v) ->
                    out.packString("neither@").packString("graceful_shutdown")));
            await().atMost(Duration.ofSeconds(5)).until(() -> metrics().droppedFrames() == dropped + 2);
            // Still connected and heard: a heartbeat from the node arrives on this connection.
            assertThat(ClusterMembership.of(node).isNodeConnected(FuzzCorpus.FUZZER)).isTrue();
            DataInputStream in = new DataInputStream(raw.socket.getInputStream());
            boolean heartbeat = false;
            for (int i = 0; i < 20 && !heartbeat; i++) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                heartbeat = codec.decode(frame).type() == MessageType.HEARTBEAT;
            }
            assertThat(heartbeat).isTrue();
            assertThat(total(metrics().rejectedConnections())).isZero();
        }
    }

    /** @return true if the peer closed the stream within the socket's timeout */
    private static boolean closedByPeer(InputStream in) {
        try {
            while (in.read() >= 0) {
                // the node's hello
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
