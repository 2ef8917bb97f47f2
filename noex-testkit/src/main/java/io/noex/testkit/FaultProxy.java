package io.noex.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fault-injecting TCP proxy in front of one node: it accepts connections on its own address and
 * forwards the bytes of each, unchanged and both ways, to a new connection to the target. Faults
 * can be switched on and off at any time, for every connection or only for the connections with
 * one peer (the node that dialed, read from the noex hello that starts the connection; a
 * connection between this node and peer {@code X} carries both directions of the pair):
 *
 * <table class="striped">
 *   <caption>Faults</caption>
 *   <thead><tr><th>fault</th><th>effect</th><th>lifted by</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@link #delay(Duration)}</td><td>each chunk is written {@code delay} after it was read,
 *         in order (the delay in force when it is due counts, so lifting it releases what
 *         waits)</td><td>{@code delay(Duration.ZERO)}, {@link #heal()}</td></tr>
 *     <tr><td>{@link #freeze()}</td><td>nothing is forwarded either way; connections stay open and
 *         what arrives is buffered, up to the cap, past which the proxy stops reading (TCP
 *         backpressure). Like {@code SIGSTOP} of the link.</td>
 *         <td>{@link #resume()} (delivers the buffered bytes in order), {@link #heal()}</td></tr>
 *     <tr><td>{@link #partition()}</td><td>a black hole: connections stay open and new ones are
 *         accepted, but every byte is discarded either way</td>
 *         <td>{@link #heal()}, which also resets each connection that lost bytes (its stream can
 *         no longer be trusted, as after a real link outage), so the nodes dial again</td></tr>
 *     <tr><td>{@link #dropConnections()}</td><td>resets (TCP RST) every current connection, like a
 *         lost link; new connections work</td><td>(a one-off action)</td></tr>
 *   </tbody>
 * </table>
 *
 * {@snippet :
 * try (FaultProxy proxy = FaultProxy.builder().node("b").target("127.0.0.1", bPort).start()) {
 *     proxy.partition("a");   // the link a <-> b is cut; b's links to other nodes work
 *     // ... assert that a sees b down ...
 *     proxy.heal();
 * }
 * }
 *
 * <p>Threading: thread-safe. A fault change takes effect on the next chunk of every connection.
 * Each connection runs on four virtual threads; the acceptor on one more.
 */
public final class FaultProxy implements AutoCloseable, AfterEachCallback {

    private static final Logger log = LoggerFactory.getLogger(FaultProxy.class);

    /** The default cap on bytes buffered per connection and direction: 16 MiB. */
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 16L * 1024 * 1024;

    private final Optional<String> node;
    private final InetSocketAddress target;
    private final long maxBuffered;
    private final ServerSocket server;
    private final Set<ProxiedConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();
    private final Object faultLock = new Object();
    private volatile LinkFaults faults = LinkFaults.NONE;
    private volatile boolean closed;

    private FaultProxy(Builder b) throws IOException {
        this.node = Optional.ofNullable(b.node);
        this.target = b.target;
        this.maxBuffered = b.maxBufferedBytes;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(b.listen, 128);
        Thread.ofVirtual().name("noex-proxy-" + label() + "-acceptor").start(this::acceptLoop);
    }

    /** @return a builder: listen on 127.0.0.1, a free port; 16 MiB buffered per connection and direction */
    public static Builder builder() {
        return new Builder();
    }

    private String label() {
        return node.orElse(target.getHostString() + ":" + target.getPort());
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("proxy for {}: accept failed, the proxy stops: {}", label(), e.toString());
                }
                return;
            }
            ProxiedConnection c = new ProxiedConnection(this, s, maxBuffered,
                    "noex-proxy-" + label() + "-" + accepted.incrementAndGet());
            connections.add(c);
            if (closed) {
                c.close(true);
                return;
            }
            Thread.ofVirtual().name(c + "-to-target-reader").start(c::run);
        }
    }

    /** @return the address the proxy listens on */
    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** @return the port the proxy listens on */
    public int port() {
        return server.getLocalPort();
    }

    /** @return the address every connection is forwarded to */
    public InetSocketAddress target() {
        return target;
    }

    /** @return the name of the node this proxy fronts, if given */
    public Optional<String> node() {
        return node;
    }

    LinkFaults faults() {
        return faults;
    }

    void discarded(int bytes) {
        discarded.addAndGet(bytes);
    }

    /** @return connections accepted since the proxy started (for tests) */
    long acceptedConnections() {
        return accepted.get();
    }

    /** @return bytes a partition discarded, since the proxy started (for tests) */
    long discardedBytes() {
        return discarded.get();
    }

    void removed(ProxiedConnection c) {
        connections.remove(c);
    }

    private void change(UnaryOperator<LinkFaults> change) {
        synchronized (faultLock) {
            faults = change.apply(faults);
        }
        for (ProxiedConnection c : connections) {
            c.faultsChanged();
        }
    }

    private static String peer(String peer) {
        return LinkFaults.nodeName(Objects.requireNonNull(peer, "peer"));
    }

    private static Duration checked(Duration delay) {
        if (Objects.requireNonNull(delay, "delay").isNegative()) {
            throw new IllegalArgumentException("delay: " + delay + " must not be negative");
        }
        return delay;
    }

    /**
     * Delays every chunk on every connection, both ways, by {@code delay} (zero lifts it).
     *
     * @param delay how long each chunk waits
     */
    public void delay(Duration delay) {
        Duration d = checked(delay);
        change(f -> f.withAll(x -> x.withDelay(d)));
    }

    /**
     * Delays every chunk between this node and {@code peer}, both ways.
     *
     * @param peer a node name or NodeId string
     * @param delay how long each chunk waits (zero lifts it)
     */
    public void delay(String peer, Duration delay) {
        Duration d = checked(delay);
        change(f -> f.withPeer(peer(peer), x -> x.withDelay(d)));
    }

    /** Freezes every connection (see the class comment). */
    public void freeze() {
        change(f -> f.withAll(x -> x.withFrozen(true)));
    }

    /**
     * Freezes the connections between this node and {@code peer}.
     *
     * @param peer a node name or NodeId string
     */
    public void freeze(String peer) {
        change(f -> f.withPeer(peer(peer), x -> x.withFrozen(true)));
    }

    /** Lifts every freeze; what was buffered is delivered, in order. */
    public void resume() {
        change(LinkFaults::resumed);
    }

    /**
     * Lifts the freeze of the connections with {@code peer} (a freeze of everything stays).
     *
     * @param peer a node name or NodeId string
     */
    public void resume(String peer) {
        change(f -> f.withPeer(peer(peer), x -> x.withFrozen(false)));
    }

    /** Black-holes every connection, current and new (see the class comment). */
    public void partition() {
        change(f -> f.withAll(x -> x.withPartitioned(true)));
    }

    /**
     * Black-holes the connections between this node and {@code peer}.
     *
     * @param peer a node name or NodeId string
     */
    public void partition(String peer) {
        change(f -> f.withPeer(peer(peer), x -> x.withPartitioned(true)));
    }

    /**
     * Lifts every fault; then resets each connection that a partition made lose bytes, and lets
     * the others deliver what they buffered.
     */
    public void heal() {
        change(f -> LinkFaults.NONE);
        for (ProxiedConnection c : connections) {
            if (c.lostBytes()) {
                c.close(true);
            }
        }
    }

    /** Resets (TCP RST) every current connection. */
    public void dropConnections() {
        for (ProxiedConnection c : connections) {
            c.close(true);
        }
    }

    /**
     * Resets every current connection with {@code peer}.
     *
     * @param peer a node name or NodeId string
     */
    public void dropConnections(String peer) {
        String name = peer(peer);
        for (ProxiedConnection c : connections) {
            if (c.dialerName().filter(name::equals).isPresent()) {
                c.close(true);
            }
        }
    }

    /** @return how many connections are open */
    public int connectionCount() {
        return connections.size();
    }

    /** @return the NodeIds named by the hellos of the open connections, sorted */
    public Set<String> dialers() {
        Set<String> out = new TreeSet<>();
        for (ProxiedConnection c : connections) {
            c.dialer().ifPresent(out::add);
        }
        return out;
    }

    /** @return the bytes read but not yet forwarded, over every connection and direction */
    public long bufferedBytes() {
        long sum = 0;
        for (ProxiedConnection c : connections) {
            sum += c.bufferedBytes();
        }
        return sum;
    }

    /** Stops accepting and resets every connection. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            log.debug("proxy for {}: closing the listening socket: {}", label(), e.toString());
        }
        List<ProxiedConnection> open = new ArrayList<>(connections);
        for (ProxiedConnection c : open) {
            c.close(true);
        }
    }

    /**
     * Closes the proxy after each test, when registered with {@code @RegisterExtension}.
     *
     * @param context the test's context
     */
    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    /** The settings of a {@link FaultProxy}. Validated by {@link #start()}; not thread-safe. */
    public static final class Builder {
        private InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private InetSocketAddress target;
        private String node;
        private long maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;

        private Builder() {
        }

        /**
         * @param address where to listen. Default 127.0.0.1, a free port.
         * @return this builder
         */
        public Builder listen(InetSocketAddress address) {
            this.listen = address;
            return this;
        }

        /**
         * @param address where to forward each connection (required)
         * @return this builder
         */
        public Builder target(InetSocketAddress address) {
            this.target = address;
            return this;
        }

        /**
         * @param host the target's host
         * @param port the target's port
         * @return this builder
         */
        public Builder target(String host, int port) {
            return target(new InetSocketAddress(host, port));
        }

        /**
         * @param name the name of the node behind the proxy, for logs and thread names. Default none.
         * @return this builder
         */
        public Builder node(String name) {
            this.node = name;
            return this;
        }

        /**
         * @param bytes the cap on bytes buffered per connection and direction; at least 64 KiB.
         *     Default 16 MiB.
         * @return this builder
         */
        public Builder maxBufferedBytes(long bytes) {
            this.maxBufferedBytes = bytes;
            return this;
        }

        /**
         * @return the proxy, listening
         * @throws IllegalArgumentException naming the setting that is missing or out of range
         * @throws java.io.UncheckedIOException if the listen address cannot be bound
         */
        public FaultProxy start() {
            if (target == null) {
                throw new IllegalArgumentException("target: is required");
            }
            if (target.isUnresolved()) {
                throw new IllegalArgumentException("target: " + target + " does not resolve");
            }
            if (listen == null) {
                throw new IllegalArgumentException("listen: must not be null");
            }
            if (maxBufferedBytes < Pipe.CHUNK) {
                throw new IllegalArgumentException("maxBufferedBytes: " + maxBufferedBytes + " must be at least " + Pipe.CHUNK);
            }
            try {
                return new FaultProxy(this);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot listen on " + listen + ": " + e.getMessage(), e);
            }
        }
    }
}
