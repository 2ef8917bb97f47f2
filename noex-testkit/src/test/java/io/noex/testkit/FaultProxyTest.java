package io.noex.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/** The proxy over raw TCP: echo and sink servers behind it, plain sockets in front. */
@Timeout(30)
class FaultProxyTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable r : resources.reversed()) {
            r.close();
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    private FaultProxy proxyTo(java.net.InetSocketAddress target) {
        return track(FaultProxy.builder().node("t").target(target).start());
    }

    private Socket connect(FaultProxy proxy) throws IOException {
        Socket s = track(new Socket(InetAddress.getLoopbackAddress(), proxy.port()));
        s.setSoTimeout((int) WAIT.toMillis());
        s.setTcpNoDelay(true);
        return s;
    }

    /** The first frame of a noex connection, as noex-distribution's handshake writes it. */
    static byte[] helloFrame(String nodeId) throws IOException {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packArrayHeader(6).packString("hello").packInt(1).packString(nodeId)
                    .packLong(System.currentTimeMillis()).packBinaryHeader(16);
            p.addPayload(new byte[16]);
            p.packBoolean(false);
            byte[] body = p.toByteArray();
            return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
        }
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] out = in.readNBytes(n);
        assertThat(out).hasSize(n);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void bytesPassThroughUnchanged_bothWays() throws Exception {
        var echo = track(new TcpServers.Echo());
        FaultProxy proxy = proxyTo(echo.address());
        Socket s = connect(proxy);
        byte[] data = new byte[1 << 20];
        new Random(42).nextBytes(data);

        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                s.getOutputStream().write(data);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        byte[] back = readExactly(s.getInputStream(), data.length);
        writer.join();

        assertThat(back).isEqualTo(data);
        assertThat(proxy.connectionCount()).isEqualTo(1);
    }

    @Test
    void aHalfCloseIsPassedOn_andTheConnectionEndsWhenBothSidesHaveEnded() throws Exception {
        var echo = track(new TcpServers.Echo());
        FaultProxy proxy = proxyTo(echo.address());
        Socket s = connect(proxy);
        s.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
        s.shutdownOutput();

        assertThat(s.getInputStream().readAllBytes()).asString(StandardCharsets.US_ASCII).isEqualTo("bye");
        await().atMost(WAIT).until(() -> proxy.connectionCount() == 0);
    }

    @Test
    void delay_addsAtLeastTheDelayEachWay() throws Exception {
        var echo = track(new TcpServers.Echo());
        FaultProxy proxy = proxyTo(echo.address());
        Socket s = connect(proxy);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        out.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        readExactly(in, 8); // connected and identified (as no node)

        Duration delay = Duration.ofMillis(200);
        proxy.delay(delay);
        long start = System.nanoTime();
        out.write(new byte[] {9});
        assertThat(readExactly(in, 1)).containsExactly(9);
        Duration roundTrip = Duration.ofNanos(System.nanoTime() - start);

        assertThat(roundTrip).isGreaterThanOrEqualTo(delay.multipliedBy(2));
        proxy.delay(Duration.ZERO);
        start = System.nanoTime();
        out.write(new byte[] {10});
        assertThat(readExactly(in, 1)).containsExactly(10);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(delay);
    }

    @Test
    void freeze_holdsBytes_andResumeDeliversThemInOrder() throws Exception {
        var sink = track(new TcpServers.Sink());
        FaultProxy proxy = proxyTo(sink.address());
        Socket s = connect(proxy);
        await().atMost(WAIT).until(() -> sink.connections() == 1);

        proxy.freeze();
        OutputStream out = s.getOutputStream();
        for (String part : List.of("one", "two", "three", "four")) {
            out.write(part.getBytes(StandardCharsets.US_ASCII));
        }
        await().atMost(WAIT).until(() -> proxy.bufferedBytes() == 15);
        assertThat(sink.receivedBytes(0)).isZero();

        proxy.resume();
        await().atMost(WAIT).until(() -> sink.receivedBytes(0) == 15);
        assertThat(new String(sink.received(0), StandardCharsets.US_ASCII)).isEqualTo("onetwothreefour");
        assertThat(proxy.bufferedBytes()).isZero();
    }

    @Test
    void freeze_holdsTheEndOfStreamToo() throws Exception {
        var echo = track(new TcpServers.Echo());
        FaultProxy proxy = proxyTo(echo.address());
        Socket s = connect(proxy);
        proxy.freeze();
        s.getOutputStream().write("last words".getBytes(StandardCharsets.US_ASCII));
        s.shutdownOutput();
        await().atMost(WAIT).until(() -> proxy.bufferedBytes() == 10);

        proxy.resume();
        assertThat(s.getInputStream().readAllBytes()).asString(StandardCharsets.US_ASCII).isEqualTo("last words");
    }

    @Test
    void partition_blackholesCurrentAndNewConnections_andHealResetsThoseThatLostBytes() throws Exception {
        var sink = track(new TcpServers.Sink());
        FaultProxy proxy = proxyTo(sink.address());
        Socket before = connect(proxy);
        await().atMost(WAIT).until(() -> sink.connections() == 1);

        proxy.partition();
        before.getOutputStream().write(new byte[100]);
        Socket during = connect(proxy);
        during.getOutputStream().write(new byte[50]);
        await().atMost(WAIT).until(() -> proxy.discardedBytes() == 150);
        assertThat(sink.receivedBytes(0)).isZero();
        assertThat(sink.connections()).isEqualTo(2); // accepted and dialed through, but nothing passes
        assertThat(sink.receivedBytes(1)).isZero();
        assertThat(proxy.connectionCount()).isEqualTo(2);

        proxy.heal();
        assertReset(before);
        assertReset(during);
        Socket after = connect(proxy);
        after.getOutputStream().write("fine".getBytes(StandardCharsets.US_ASCII));
        await().atMost(WAIT).until(() -> sink.receivedBytes(2) == 4);
    }

    @Test
    void dropConnections_resetsEveryConnection_andNewOnesWork() throws Exception {
        var echo = track(new TcpServers.Echo());
        FaultProxy proxy = proxyTo(echo.address());
        Socket first = connect(proxy);
        Socket second = connect(proxy);
        for (Socket s : List.of(first, second)) {
            s.getOutputStream().write(new byte[] {1, 2, 3, 4, 5});
            readExactly(s.getInputStream(), 5);
        }

        proxy.dropConnections();

        assertReset(first);
        assertReset(second);
        assertThat(proxy.connectionCount()).isZero();
        Socket third = connect(proxy);
        third.getOutputStream().write(new byte[] {6, 7, 8, 9, 10});
        assertThat(readExactly(third.getInputStream(), 5)).containsExactly(6, 7, 8, 9, 10);
    }

    private static void assertReset(Socket s) {
        // A reset shows as "Connection reset" on read; a write may be needed to provoke it.
        assertThatThrownBy(() -> {
            InputStream in = s.getInputStream();
            int n = in.read();
            if (n < 0) {
                throw new AssertionError("end of stream instead of a reset");
            }
        }).isInstanceOf(SocketException.class);
    }

    @Test
    void heal_liftsEveryFault() throws Exception {
        var echo = track(new TcpServers.Echo());
        FaultProxy proxy = proxyTo(echo.address());
        Socket frozen = connect(proxy);
        frozen.getOutputStream().write(new byte[] {1, 2, 3, 4, 5});
        readExactly(frozen.getInputStream(), 5);

        proxy.delay(Duration.ofSeconds(5));
        proxy.freeze();
        frozen.getOutputStream().write(new byte[] {6, 7, 8, 9, 10});
        await().atMost(WAIT).until(() -> proxy.bufferedBytes() == 5);

        proxy.heal();
        long start = System.nanoTime();
        // What waited under the delay is released too: a lifted delay no longer applies.
        assertThat(readExactly(frozen.getInputStream(), 5)).containsExactly(6, 7, 8, 9, 10);
        Socket fresh = connect(proxy);
        fresh.getOutputStream().write(new byte[] {11, 12, 13, 14, 15});
        assertThat(readExactly(fresh.getInputStream(), 5)).containsExactly(11, 12, 13, 14, 15);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void theFirstFrame_identifiesTheDialer_andIsForwardedUnchanged() throws Exception {
        var sink = track(new TcpServers.Sink());
        FaultProxy proxy = proxyTo(sink.address());
        byte[] hello = helloFrame("alpha@127.0.0.1:4370");
        byte[] payload = "after the hello".getBytes(StandardCharsets.US_ASCII);
        Socket s = connect(proxy);
        // Split the hello across writes: the proxy must assemble the frame before reading it.
        OutputStream out = s.getOutputStream();
        out.write(hello, 0, 2);
        out.flush();
        out.write(hello, 2, hello.length - 2);
        out.write(payload);

        await().atMost(WAIT).until(() -> proxy.dialers().contains("alpha@127.0.0.1:4370"));
        await().atMost(WAIT).until(() -> sink.receivedBytes(0) == hello.length + payload.length);
        assertThat(sink.received(0)).isEqualTo(concat(hello, payload));
    }

    @Test
    void helloFrames_readsOnlyAWellFormedHello() throws Exception {
        byte[] hello = helloFrame("n-1@example.com:1");
        assertThat(HelloFrames.frameLength(hello, hello.length)).isEqualTo(hello.length - 4);
        assertThat(HelloFrames.nodeId(hello, hello.length - 4)).contains("n-1@example.com:1");
        assertThat(HelloFrames.frameLength(hello, 3)).isZero();
        assertThat(HelloFrames.frameLength(new byte[] {0, 0, 0, 0}, 4)).isEqualTo(-1);
        assertThat(HelloFrames.frameLength("GET /".getBytes(StandardCharsets.US_ASCII), 5)).isEqualTo(-1);

        byte[] truncated = Arrays.copyOf(hello, hello.length - 30);
        ByteBuffer.wrap(truncated).putInt(truncated.length - 4);
        assertThat(HelloFrames.nodeId(truncated, truncated.length - 4)).isEmpty();
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packArrayHeader(2).packString("proof").packBinaryHeader(1).addPayload(new byte[1]);
            byte[] body = p.toByteArray();
            byte[] frame = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
            assertThat(HelloFrames.nodeId(frame, body.length)).isEmpty();
        }
    }

    @Test
    void faultsForOnePeer_leaveTheOtherPeersAlone() throws Exception {
        var echo = track(new TcpServers.Echo());
        FaultProxy proxy = proxyTo(echo.address());
        proxy.partition("a");              // by name
        proxy.delay("b@127.0.0.1:2", Duration.ofMillis(150)); // by NodeId: the name is what counts

        byte[] helloA = helloFrame("a@127.0.0.1:1");
        Socket a = connect(proxy);
        a.getOutputStream().write(helloA);
        await().atMost(WAIT).until(() -> proxy.discardedBytes() == helloA.length); // even the hello

        byte[] helloB = helloFrame("b@127.0.0.1:2");
        Socket b = connect(proxy);
        long start = System.nanoTime();
        b.getOutputStream().write(helloB);
        assertThat(readExactly(b.getInputStream(), helloB.length)).isEqualTo(helloB);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        byte[] helloC = helloFrame("c@127.0.0.1:3");
        Socket c = connect(proxy);
        c.getOutputStream().write(helloC);
        assertThat(readExactly(c.getInputStream(), helloC.length)).isEqualTo(helloC);
        assertThat(proxy.dialers()).containsExactly("a@127.0.0.1:1", "b@127.0.0.1:2", "c@127.0.0.1:3");

        proxy.dropConnections("c");
        assertReset(c);
        b.getOutputStream().write(7);
        assertThat(b.getInputStream().read()).isEqualTo(7);
    }

    @Test
    void aFrozenLink_buffersAtMostTheCap_andStopsReadingPastIt() throws Exception {
        long cap = 1 << 20;
        int total = 32 << 20;
        var sink = track(new TcpServers.Sink());
        FaultProxy proxy = track(FaultProxy.builder().target(sink.address()).maxBufferedBytes(cap).start());
        Socket s = connect(proxy);
        await().atMost(WAIT).until(() -> sink.connections() == 1);
        proxy.freeze();

        byte[] data = new byte[total];
        new Random(7).nextBytes(data);
        AtomicLong written = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (int off = 0; off < total; off += 8192) {
                    out.write(data, off, 8192);
                    written.addAndGet(8192);
                }
                done.set(true);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });

        await().atMost(WAIT).until(() -> proxy.bufferedBytes() >= cap);
        long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
        while (System.nanoTime() < until) { // it stays bounded, however long the link is frozen
            assertThat(proxy.bufferedBytes()).isLessThanOrEqualTo(cap + Pipe.CHUNK);
            Thread.sleep(10);
        }
        assertThat(done).isFalse();
        assertThat(written.get()).isLessThan(total);
        assertThat(sink.receivedBytes(0)).isZero();

        proxy.resume();
        writer.join(WAIT.toMillis());
        await().atMost(WAIT).until(() -> sink.receivedBytes(0) == total);
        assertThat(sink.received(0)).isEqualTo(data);
    }

    @Test
    void builder_rejectsAMissingTargetAndATinyCap() {
        assertThatThrownBy(() -> FaultProxy.builder().start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target");
        assertThatThrownBy(() -> FaultProxy.builder().target("127.0.0.1", 1).maxBufferedBytes(10).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBufferedBytes");
    }
}
