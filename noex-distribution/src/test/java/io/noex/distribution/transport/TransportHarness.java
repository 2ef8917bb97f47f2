package io.noex.distribution.transport;

import io.noex.NodeId;
import io.noex.time.Scheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Starts transports on 127.0.0.1 and records what their listeners see. */
final class TransportHarness implements AutoCloseable {

    /** One running transport and what it saw. */
    static final class Peer implements TransportListener {
        final Transport transport;
        final NodeId id;
        final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final List<Connection> connected = new CopyOnWriteArrayList<>();
        final List<Connection> disconnected = new CopyOnWriteArrayList<>();

        Peer(String name, long incarnation, TransportConfig config, Scheduler scheduler) {
            this.transport = new Transport(config, this, scheduler,
                    new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), Transport::jitter), "test-io-" + name);
            int port = transport.bind();
            this.id = NodeId.create(name, "127.0.0.1", port);
            transport.start(id, incarnation);
        }

        @Override
        public void onConnected(Connection connection) {
            connected.add(connection);
        }

        @Override
        public void onFrame(Connection connection, byte[] frame) {
            frames.add(connection.peer().name() + ":" + new String(frame, StandardCharsets.UTF_8));
        }

        @Override
        public void onDisconnected(Connection connection) {
            disconnected.add(connection);
        }

        String nextFrame() throws InterruptedException {
            String f = frames.poll(5, TimeUnit.SECONDS);
            if (f == null) {
                throw new AssertionError(id + " received no frame within 5 s");
            }
            return f;
        }

        boolean send(NodeId to, String text) {
            return transport.connection(to).orElseThrow().send(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Scheduler scheduler = Scheduler.system("test-transport-timer");
    private final List<Peer> peers = new ArrayList<>();

    static TransportConfig config(Optional<byte[]> secret) {
        return new TransportConfig("127.0.0.1", 0, secret, 16 * 1024 * 1024, Duration.ofSeconds(2),
                Duration.ofSeconds(2), 1, 4 * 1024 * 1024, Optional.empty(), Optional.empty());
    }

    Peer start(String name) {
        return start(name, 1, config(Optional.empty()));
    }

    /** @return {@link #config} with other limits on pending handshakes */
    static TransportConfig config(Optional<byte[]> secret, int maxPendingHandshakes, int maxPendingHandshakesPerAddress) {
        TransportConfig c = config(secret);
        return new TransportConfig(c.bindHost(), c.port(), c.secret(), c.maxFrameSize(), c.handshakeTimeout(),
                c.connectTimeout(), c.ioThreads(), c.writeHighWaterMark(), c.serverTls(), c.clientTls(),
                c.sendBlockTimeout(), maxPendingHandshakes, maxPendingHandshakesPerAddress);
    }

    Peer start(String name, long incarnation, TransportConfig config) {
        Peer p = new Peer(name, incarnation, config, scheduler);
        peers.add(p);
        return p;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public void close() {
        for (Peer p : peers) {
            p.transport.stop();
        }
        scheduler.close();
    }
}
