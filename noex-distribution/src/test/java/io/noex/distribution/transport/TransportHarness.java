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

        Peer(String name, long incarnation, TransportConfig config, Scheduler scheduler, PendingHandshakes limits) {
            this.transport = new Transport(config, this, scheduler,
                    new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), Transport::jitter), "test-io-" + name, limits);
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

    Peer start(String name, long incarnation, TransportConfig config) {
        return start(name, incarnation, config, PendingHandshakes.withDefaults());
    }

    Peer start(String name, long incarnation, TransportConfig config, PendingHandshakes limits) {
        Peer p = new Peer(name, incarnation, config, scheduler, limits);
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
