package io.noex.distribution.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.noex.NodeId;
import io.noex.time.Cancellable;
import io.noex.time.Scheduler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP between nodes, on Netty: one listening socket, one connection per peer, redials with
 * backoff for the peers the layer above wants connected, and the rules that keep exactly one
 * connection per pair of nodes.
 *
 * <h2>Pipeline</h2>
 * Every channel, accepted or dialed, is built the same way (head on the left):
 * <pre>
 *   [SslHandler] -&gt; FrameDecoder -&gt; FrameEncoder -&gt; HandshakeHandler -&gt; ConnectionHandler
 *                                                    \__ replaced on success by FrameAuthHandler
 *                                                        (only with a cluster secret)
 * </pre>
 * Inbound bytes are split into frames (cap checked before allocation), then the handshake
 * consumes the first frames; afterwards each frame is verified (secured clusters) and handed to
 * the {@link TransportListener}. Outbound frames are signed, then length-prefixed.
 *
 * <h2>One connection per pair</h2>
 * When two nodes dial each other at once, the accepting side decides in {@link #admit}: if it is
 * dialing the same peer and its NodeId is the smaller, it refuses the inbound connection (its own
 * dial wins); otherwise it abandons its dial and admits. Both ends apply the same rule to the
 * same two NodeIds, so they keep the same connection, and no frame is sent on the one dropped
 * (data flows only after the handshake). A connection from a newer incarnation of a connected
 * node replaces the old one; one from an older incarnation is refused.
 *
 * <p>Threading: public methods are thread-safe. The peer tables are guarded by {@code lock},
 * which is never held while calling the listener or closing a channel. Listener callbacks run on
 * event loops.
 */
public final class Transport {

    private static final Logger log = LoggerFactory.getLogger(Transport.class);

    /** A peer the layer above wants connected, with its redial state. */
    private static final class Wanted {
        int attempts;
        Cancellable redial;
    }

    private final TransportConfig config;
    private final TransportListener listener;
    private final Scheduler scheduler;
    private final Backoff backoff;
    private final TransportCounters counters = new TransportCounters();
    private final RejectLog rejectLog;
    private final String threadPrefix;

    private final Object lock = new Object();
    /** Written under {@code lock}; concurrent so the send path reads it without the lock. */
    private final Map<NodeId, Connection> connections = new ConcurrentHashMap<>();
    private final Map<NodeId, Channel> pendingDials = new HashMap<>();
    private final Map<NodeId, Wanted> wanted = new HashMap<>();

    private EventLoopGroup group;
    private Channel server;
    private Bootstrap dialer;
    private volatile NodeId self;
    private volatile long incarnation;
    private volatile boolean running;
    private boolean stopped;

    /**
     * @param config the settings
     * @param listener told of connections and frames
     * @param scheduler the node's clock and timer (redials, handshake timeouts)
     * @param backoff the redial policy
     * @param threadPrefix names the event-loop threads
     */
    public Transport(TransportConfig config, TransportListener listener, Scheduler scheduler, Backoff backoff,
                     String threadPrefix) {
        this.config = config;
        this.listener = listener;
        this.scheduler = scheduler;
        this.backoff = backoff;
        this.threadPrefix = threadPrefix;
        this.rejectLog = new RejectLog(log, scheduler::nanoTime);
    }

    /**
     * Binds the listening socket (not yet accepting) and returns the port, so that the caller can
     * form its NodeId when the configured port is 0.
     *
     * @return the bound port
     * @throws io.noex.NoexException if the address cannot be bound (in use, not local, ...)
     */
    public int bind() {
        AtomicInteger n = new AtomicInteger();
        group = new MultiThreadIoEventLoopGroup(config.ioThreads(), r -> {
            Thread t = new Thread(r, threadPrefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, NioIoHandler.newFactory());
        // Connection enforces the mark itself (its queue plus this buffer); Netty's writability
        // only tells a sender parked at the mark when the socket has taken a good part of it.
        WriteBufferWaterMark waterMark = new WriteBufferWaterMark(
                (int) Math.min(Integer.MAX_VALUE / 4, config.writeHighWaterMark() / 4),
                (int) Math.min(Integer.MAX_VALUE / 2, config.writeHighWaterMark() / 2));
        ServerBootstrap sb = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
                .childHandler(initializer(Optional.empty(), config.serverTls()));
        dialer = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis());
        try {
            server = sb.bind(config.bindHost(), config.port()).syncUninterruptibly().channel();
        } catch (Exception e) { // Netty rethrows the checked BindException without declaring it
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
            throw new TransportException("cannot listen on " + config.bindHost() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /**
     * Takes on an identity and starts accepting connections.
     *
     * @param self this node's NodeId
     * @param incarnation this node's incarnation
     */
    public void start(NodeId self, long incarnation) {
        this.self = self;
        this.incarnation = incarnation;
        this.running = true;
        server.config().setAutoRead(true);
        server.read();
    }

    private ChannelInitializer<SocketChannel> initializer(Optional<NodeId> dialed, Optional<SslContext> tls) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ChannelPipeline p = ch.pipeline();
                tls.ifPresent(ctx -> p.addLast("tls", dialed.isPresent()
                        ? ctx.newHandler(ch.alloc(), dialed.get().host(), dialed.get().port())
                        : ctx.newHandler(ch.alloc())));
                p.addLast("frameDecoder", new FrameDecoder(config.maxFrameSize()));
                p.addLast("frameEncoder", new FrameEncoder());
                p.addLast("handshake", new HandshakeHandler(Transport.this, dialed));
            }
        };
    }

    // ================================================================== dialing

    /**
     * Keeps {@code peer} connected: dials it now (unless connected or dialing) and redials with
     * backoff whenever the connection is down, until {@link #forget} or {@link #stop}.
     *
     * @param peer the node to connect to
     */
    public void connect(NodeId peer) {
        if (peer.equals(self)) {
            return;
        }
        synchronized (lock) {
            if (!running) {
                return;
            }
            wanted.computeIfAbsent(peer, p -> new Wanted());
            if (connections.containsKey(peer) || pendingDials.containsKey(peer)) {
                return;
            }
        }
        dial(peer);
    }

    /**
     * Stops keeping {@code peer} connected and closes its connection, if any.
     *
     * @param peer the node
     */
    public void forget(NodeId peer) {
        Connection c;
        Channel pending;
        synchronized (lock) {
            Wanted w = wanted.remove(peer);
            if (w != null && w.redial != null) {
                w.redial.cancel();
            }
            c = connections.get(peer);
            pending = pendingDials.remove(peer);
        }
        if (c != null) {
            c.close();
        }
        if (pending != null) {
            pending.close();
        }
    }

    /** @return whether the layer above wants {@code peer} connected */
    public boolean isWanted(NodeId peer) {
        synchronized (lock) {
            return wanted.containsKey(peer);
        }
    }

    private void dial(NodeId peer) {
        ChannelFuture f;
        synchronized (lock) {
            if (!running || connections.containsKey(peer) || pendingDials.containsKey(peer)) {
                return;
            }
            counters.dials.increment();
            Bootstrap b = dialer.clone().handler(initializer(Optional.of(peer), config.clientTls()));
            f = b.connect(peer.host(), peer.port());
            pendingDials.put(peer, f.channel());
        }
        f.addListener(done -> {
            if (!done.isSuccess()) {
                counters.failedDials.increment();
                log.debug("dial to {} failed: {}", peer, done.cause() == null ? "cancelled" : done.cause().toString());
                synchronized (lock) {
                    pendingDials.remove(peer, f.channel());
                }
                scheduleRedial(peer);
            }
        });
    }

    private void scheduleRedial(NodeId peer) {
        synchronized (lock) {
            Wanted w = wanted.get(peer);
            if (!running || w == null || connections.containsKey(peer) || pendingDials.containsKey(peer)) {
                return;
            }
            if (w.redial != null) {
                w.redial.cancel();
            }
            w.redial = scheduler.schedule(() -> dial(peer), backoff.delay(w.attempts++));
        }
    }

    // ================================================================== called by the pipeline

    /**
     * The accepting side's decision on a handshaken connection (see the class comment).
     *
     * @return empty to admit, else why it is refused (starting with "duplicate" for a duplicate)
     */
    Optional<String> admit(Channel channel, PeerHello hello) {
        NodeId peer = hello.nodeId();
        Optional<String> addressProblem = addressMismatch(channel, peer);
        if (addressProblem.isPresent()) {
            return addressProblem;
        }
        Connection replaced = null;
        Channel abandoned = null;
        synchronized (lock) {
            if (!running) {
                return Optional.of("node is stopping");
            }
            Connection existing = connections.get(peer);
            if (existing != null && existing.isOpen()) {
                if (existing.incarnation() == hello.incarnation()) {
                    return Optional.of("duplicate: " + self + " is already connected to " + peer);
                }
                if (existing.incarnation() > hello.incarnation()) {
                    return Optional.of("stale incarnation " + hello.incarnation() + " of " + peer
                            + " (incarnation " + existing.incarnation() + " is connected)");
                }
                replaced = existing;
            }
            Channel pending = pendingDials.get(peer);
            if (pending != null) {
                if (self.compareTo(peer) < 0) {
                    return Optional.of("duplicate: simultaneous dial, " + self + "'s own dial wins");
                }
                pendingDials.remove(peer);
                abandoned = pending;
            }
        }
        if (replaced != null) {
            log.info("{} restarted (incarnation {} replaces {})", peer, hello.incarnation(), replaced.incarnation());
            replaced.close();
        }
        if (abandoned != null) {
            abandoned.close();
        }
        return Optional.empty();
    }

    /**
     * A peer claiming a NodeId whose host is an IP address must connect from that address (or
     * from this machine): it cannot take the identity of a node elsewhere.
     */
    private Optional<String> addressMismatch(Channel channel, NodeId peer) {
        if (!(channel.remoteAddress() instanceof InetSocketAddress remote) || remote.getAddress() == null) {
            return Optional.empty();
        }
        InetAddress from = remote.getAddress();
        if (from.isLoopbackAddress() || !isIpLiteral(peer.host())) {
            return Optional.empty();
        }
        try {
            InetAddress claimed = InetAddress.getByName(peer.host());
            if (!claimed.equals(from)) {
                return Optional.of("identity " + peer + " claimed from address " + from.getHostAddress());
            }
        } catch (UnknownHostException e) {
            return Optional.of("identity " + peer + " has an unusable host");
        }
        return Optional.empty();
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    void established(Channel channel, PeerHello hello, boolean outbound) {
        Connection connection = new Connection(channel, hello, outbound, config, counters);
        Connection replaced = null;
        boolean duplicate = false;
        synchronized (lock) {
            pendingDials.remove(hello.nodeId(), channel);
            Connection existing = connections.get(hello.nodeId());
            if (!running) {
                duplicate = true;
            } else if (existing != null && existing.isOpen() && existing.incarnation() >= hello.incarnation()) {
                duplicate = true;
            } else {
                replaced = existing;
                connections.put(hello.nodeId(), connection);
                Wanted w = wanted.get(hello.nodeId());
                if (w != null) {
                    w.attempts = 0;
                    if (w.redial != null) {
                        w.redial.cancel();
                        w.redial = null;
                    }
                }
            }
        }
        if (duplicate) {
            channel.close();
            return;
        }
        if (replaced != null) {
            replaced.close();
        }
        connection.markReceived(scheduler.nanoTime());
        channel.pipeline().addLast("connection", new ConnectionHandler(this, connection));
        counters.connectionsOpened.increment();
        log.debug("connected to {} ({})", hello.nodeId(), outbound ? "dialed" : "accepted");
        listener.onConnected(connection);
    }

    void frameReceived(Connection connection, byte[] frame) {
        connection.frameReceived(scheduler::nanoTime);
        counters.framesIn.increment();
        counters.bytesIn.add(frame.length);
        listener.onFrame(connection, frame);
    }

    void closed(Connection connection) {
        boolean current;
        synchronized (lock) {
            current = connections.remove(connection.peer(), connection);
        }
        counters.connectionsClosed.increment();
        listener.onDisconnected(connection);
        if (current) {
            scheduleRedial(connection.peer());
        }
    }

    /** Netty wraps what a decoder throws; the typed violation inside is what counts. */
    static Throwable unwrap(Throwable t) {
        return t instanceof io.netty.handler.codec.DecoderException && t.getCause() != null ? t.getCause() : t;
    }

    void connectionFailed(Connection connection, Throwable thrown) {
        Throwable cause = unwrap(thrown);
        if (cause instanceof ProtocolViolationException p) {
            counters.violation(p.reason());
            rejectLog.warn(connection.remoteAddress(), p.reason(), connection.peer() + ": " + p.getMessage());
        } else {
            log.debug("connection to {} failed: {}", connection.peer(), cause.toString());
        }
    }

    void rejected(Channel channel, Optional<NodeId> dialed, ProtocolViolationException e) {
        counters.violation(e.reason());
        if (e.reason() != ProtocolViolationException.Reason.DUPLICATE_CONNECTION) {
            rejectLog.warn(channel.remoteAddress(), e.reason(), e.getMessage());
        } else {
            log.debug("duplicate connection closed: {}", e.getMessage());
        }
    }

    void handshakeAbandoned(Channel channel, Optional<NodeId> dialed) {
        if (dialed.isEmpty()) {
            return;
        }
        synchronized (lock) {
            pendingDials.remove(dialed.get(), channel);
        }
        scheduleRedial(dialed.get());
    }

    // ================================================================== queries and lifecycle

    /**
     * @param peer a node
     * @return its open connection, if any
     */
    public Optional<Connection> connection(NodeId peer) {
        return Optional.ofNullable(openConnection(peer));
    }

    /**
     * The send path's lookup: no lock and no allocation (every remote call and cast passes here).
     *
     * @param peer a node
     * @return its open connection, or null
     */
    public Connection openConnection(NodeId peer) {
        Connection c = connections.get(peer);
        return c != null && c.isOpen() ? c : null;
    }

    /** @return the open connections */
    public List<Connection> connections() {
        synchronized (lock) {
            List<Connection> out = new ArrayList<>(connections.size());
            for (Connection c : connections.values()) {
                if (c.isOpen()) {
                    out.add(c);
                }
            }
            return out;
        }
    }

    /** @return the counters */
    public TransportCounters counters() {
        return counters;
    }

    /** @return the listening address */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    /**
     * Closes the listening socket and every connection, and releases the event loops; the port
     * is free when this returns. Idempotent.
     */
    public void stop() {
        List<Channel> toClose = new ArrayList<>();
        synchronized (lock) {
            if (stopped) {
                return;
            }
            stopped = true;
            running = false;
            for (Wanted w : wanted.values()) {
                if (w.redial != null) {
                    w.redial.cancel();
                }
            }
            wanted.clear();
            for (Connection c : connections.values()) {
                toClose.add(c.channel());
            }
            toClose.addAll(pendingDials.values());
            connections.clear();
            pendingDials.clear();
        }
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        for (Channel c : toClose) {
            c.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    // ================================================================== for the handshake

    TransportConfig config() {
        return config;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    NodeId self() {
        return self;
    }

    long incarnation() {
        return incarnation;
    }

    boolean secured() {
        return config.secret().isPresent();
    }

    byte[] secret() {
        return config.secret().orElseThrow();
    }

    /** @return uniform in [0,1), for jitter */
    public static double jitter() {
        return ThreadLocalRandom.current().nextDouble();
    }
}
