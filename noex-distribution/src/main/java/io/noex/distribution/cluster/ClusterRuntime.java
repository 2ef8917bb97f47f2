package io.noex.distribution.cluster;

import io.noex.InvalidNodeIdException;
import io.noex.NodeId;
import io.noex.distribution.ClusterConfig;
import io.noex.distribution.MessageSerializationException;
import io.noex.distribution.NodeDownReason;
import io.noex.distribution.NodeInfo;
import io.noex.distribution.NodeStatus;
import io.noex.distribution.OutboundOverflow;
import io.noex.distribution.serialization.MessageType;
import io.noex.distribution.serialization.WireCodec;
import io.noex.distribution.transport.Backoff;
import io.noex.distribution.transport.Connection;
import io.noex.distribution.transport.TlsContexts;
import io.noex.distribution.transport.Transport;
import io.noex.distribution.transport.TransportConfig;
import io.noex.distribution.transport.TransportCounters;
import io.noex.distribution.transport.TransportListener;
import io.noex.spi.LocalNode;
import io.noex.time.Cancellable;
import io.noex.time.Scheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's life in a cluster, from start to stop: the transport, the membership view, the
 * heartbeat tick, and the routing of frames to the layers above.
 *
 * <p>Membership inputs (connections, closes, heartbeats, gossip, shutdown notices, ticks) are
 * applied on one {@link SerialExecutor}, in the order they arrive there, so listeners see a node's
 * Up before its Down. Frames of other types go straight from the event loop to the handler a
 * layer above registered for them.
 *
 * <p>Heartbeats go to every connected member each interval; a gossip digest (this node and the
 * members it is connected to) goes to a newly connected member at once and to up to three random
 * members each interval. So a node joining through any one member learns of all, and each
 * node's traffic grows linearly with the cluster size. Liveness is checked
 * {@value #CHECKS_PER_INTERVAL} times an interval (it costs no traffic), so a silent member is
 * reported down within a quarter interval of its timeout rather than within a whole one; ticks
 * keep to a fixed rate from the start, so the heartbeats a peer times do not drift late by the
 * tick's own run time.
 *
 * <p>Threading: public methods are thread-safe. {@link FrameHandler}s run on event loops and must
 * not block; {@link MembershipListener}s run on the membership executor and must not block.
 */
public final class ClusterRuntime implements TransportListener {

    private static final Logger log = LoggerFactory.getLogger(ClusterRuntime.class);
    private static final int GOSSIP_FANOUT = 3;
    /** Liveness checks per heartbeat interval; heartbeats and gossip go out on every fourth. */
    static final int CHECKS_PER_INTERVAL = 4;

    /** Told of membership changes, in order, on the membership executor (closes: on the event loop). Must not block. */
    public interface MembershipListener {
        /** @param member a node that came up */
        void nodeUp(Member member);

        /**
         * @param member the node (in the incarnation that went down)
         * @param reason why
         */
        void nodeDown(Member member, NodeDownReason reason);

        /**
         * A connection closed, whatever the membership makes of it (the member may be down
         * already, after a heartbeat timeout or a graceful shutdown, and then no {@link #nodeDown}
         * follows). Runs on the event loop, before the membership hears of it; must not block.
         *
         * @param connection the closed connection
         */
        default void connectionClosed(Connection connection) {
        }
    }

    /** Handles frames of one message type, on the event loop. Must not block. */
    @FunctionalInterface
    public interface FrameHandler {
        /**
         * @param from the connection the frame came on (its peer is the envelope's verified sender)
         * @param frame the decoded envelope, positioned at its body
         * @throws IOException if the body cannot be read (the frame is dropped and counted)
         */
        void handle(Connection from, WireCodec.Decoded frame) throws IOException;
    }

    private final ClusterConfig config;
    private final LocalNode node;
    private final WireCodec codec;
    private final Scheduler scheduler;
    private final SerialExecutor membershipExecutor;
    private final Map<MessageType, FrameHandler> handlers = new EnumMap<>(MessageType.class);
    private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder droppedFrames = new LongAdder();
    private final Transport transport;

    private volatile NodeId self;
    private volatile long incarnation;
    private volatile Membership membership;
    private volatile long startedNanos;
    private volatile Cancellable tick;
    /** Ticks so far (membership executor only): every {@value #CHECKS_PER_INTERVAL}th sends heartbeats. */
    private long ticks;
    /** When the next tick is due, on the scheduler's clock (membership executor, or start). */
    private long nextTickNanos;
    private volatile boolean running;

    /**
     * @param config the user's settings
     * @param node the node joining the cluster
     * @param codec the wire codec (with the node's registered types)
     */
    public ClusterRuntime(ClusterConfig config, LocalNode node, WireCodec codec) {
        this.config = config;
        this.node = node;
        this.codec = codec;
        this.scheduler = node.scheduler();
        this.membershipExecutor = new SerialExecutor("membership of " + config.nodeName());
        TransportConfig tc = new TransportConfig(config.host(), config.port(), config.clusterSecret(),
                config.maxFrameSize(), config.handshakeTimeout(), config.connectTimeout(), config.ioThreads(),
                config.outboundHighWaterMark(),
                config.tls().map(t -> TlsContexts.server(t.privateKey(), t.certificateChain(), t.trustedCertificates())),
                config.tls().map(t -> TlsContexts.client(t.privateKey(), t.certificateChain(), t.trustedCertificates(),
                        t.verifyHostname())),
                config.outboundOverflow() == OutboundOverflow.BLOCK ? config.outboundBlockTimeout() : Duration.ZERO,
                config.maxPendingHandshakes(), config.maxPendingHandshakesPerAddress());
        this.transport = new Transport(tc, this, scheduler,
                new Backoff(config.reconnectBaseDelay(), config.reconnectMaxDelay(), Transport::jitter),
                "noex-io-" + config.nodeName());
    }

    /**
     * Registers the handler of a message type; call before {@link #start}.
     *
     * @param type the message type
     * @param handler its handler
     */
    public void onMessage(MessageType type, FrameHandler handler) {
        handlers.put(type, handler);
    }

    /** @param listener told of membership changes */
    public void addListener(MembershipListener listener) {
        listeners.add(listener);
    }

    /**
     * Binds, takes on the NodeId, dials the seeds and starts the heartbeat tick.
     *
     * @param incarnation this life's incarnation
     * @return this node's NodeId
     */
    public NodeId start(long incarnation) {
        int port = transport.bind();
        String host = config.advertisedHost().orElseGet(() -> AdvertisedHost.choose(config.host(), config.seeds()));
        this.self = NodeId.create(config.nodeName(), host, config.advertisedPort() != 0 ? config.advertisedPort() : port);
        this.incarnation = incarnation;
        this.startedNanos = scheduler.nanoTime();
        this.membership = Membership.empty(self);
        this.running = true;
        transport.start(self, incarnation);
        membershipExecutor.execute(() -> {
            for (NodeId seed : config.seeds()) {
                apply(membership.seed(seed, scheduler.nanoTime()));
            }
        });
        nextTickNanos = scheduler.nanoTime();
        scheduleTick();
        return self;
    }

    /**
     * Tells every connected member this node is leaving, then closes all connections and stops
     * the tick. The port is free when this returns.
     */
    public void stop() {
        running = false;
        Cancellable t = tick;
        if (t != null) {
            t.cancel();
        }
        byte[] bye = codec.encode(MessageType.NODE_DOWN, self, scheduler.now().toEpochMilli(), (out, v) -> {
            out.packString(self.toString());
            out.packString("graceful_shutdown");
        });
        for (Connection c : transport.connections()) {
            c.sendAnswer(bye);
        }
        transport.stop();
        // Every member is lost to this node now: report it, in order, before stop returns, so
        // that everything waiting on another node fails (SPEC 4.2).
        java.util.concurrent.CountDownLatch reported = new java.util.concurrent.CountDownLatch(1);
        membershipExecutor.execute(() -> {
            try {
                apply(membership.leave(scheduler.nanoTime()));
            } finally {
                reported.countDown();
            }
        });
        try {
            reported.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ================================================================== sending

    /**
     * @param to a member
     * @param frame an encoded envelope
     * @return false if {@code to} is not connected or its queue is full (nothing was sent)
     */
    public boolean send(NodeId to, byte[] frame) {
        Connection c = transport.openConnection(to);
        return c != null && c.send(frame);
    }

    /**
     * @param to a member
     * @return its open connection, if any
     */
    public Optional<Connection> connection(NodeId to) {
        return transport.connection(to);
    }

    /**
     * @param type the message type
     * @param body writes the body
     * @return the envelope from this node, stamped now
     */
    public byte[] encode(MessageType type, WireCodec.Body body) {
        return codec.encode(type, self, scheduler.now().toEpochMilli(), body);
    }

    // ================================================================== transport events

    @Override
    public void onConnected(Connection connection) {
        membershipExecutor.execute(() -> up(connection));
    }

    /** A connection to a peer is up: the peer is up here, and hears of this node at once. Membership executor. */
    private void up(Connection connection) {
        apply(membership.connected(connection.peer(), connection.incarnation(), scheduler.nanoTime()));
        sendHeartbeat(connection);
        sendGossip(connection);
    }

    @Override
    public void onDisconnected(Connection connection) {
        for (MembershipListener l : listeners) {
            l.connectionClosed(connection);
        }
        membershipExecutor.execute(() -> {
            apply(membership.disconnected(connection.peer(), connection.incarnation(), scheduler.nanoTime()));
            // The closed connection may have been replaced already by a newer one to the same
            // life of the peer (the peer closed it, redialed, and this node took the new
            // handshake before it saw the old close). The peer counts the pair as down and up
            // again; so must this node, or it keeps the peer down for good while the peer sees
            // it up (found by the chaos suite). Nothing happens when the peer is up here already.
            transport.connection(connection.peer()).filter(c -> c != connection).ifPresent(this::up);
        });
    }

    @Override
    public void onFrame(Connection connection, byte[] bytes) {
        WireCodec.Decoded frame;
        try {
            frame = codec.decode(bytes);
        } catch (MessageSerializationException e) {
            drop(connection, "undecodable envelope: " + e.getMessage());
            return;
        }
        if (!frame.sender().equals(connection.peer())) {
            drop(connection, "envelope claims sender " + frame.sender() + " on the connection of " + connection.peer());
            return;
        }
        if (frame.type() == null) {
            drop(connection, "unknown message type " + frame.typeCode());
            return;
        }
        try {
            switch (frame.type()) {
                case HEARTBEAT -> onHeartbeat(connection, frame.in());
                case GOSSIP -> onGossip(frame.in());
                case NODE_DOWN -> onNodeDown(connection, frame.in());
                default -> {
                    FrameHandler h = handlers.get(frame.type());
                    if (h == null) {
                        drop(connection, "no handler for message type " + frame.type());
                    } else {
                        h.handle(connection, frame);
                    }
                }
            }
        } catch (IOException | MessagePackException | MessageSerializationException | IllegalArgumentException
                 | InvalidNodeIdException e) {
            // A body this node cannot read (a NodeId in gossip or a shutdown notice included) is
            // dropped and counted; the connection and the peer's other frames are not affected.
            drop(connection, frame.type() + " frame with an unreadable body: " + e.getMessage());
        }
    }

    private void onHeartbeat(Connection c, MessageUnpacker in) throws IOException {
        int processes = in.unpackInt();
        long uptime = in.unpackLong();
        long now = scheduler.nanoTime();
        var wall = scheduler.now();
        membershipExecutor.execute(() ->
                apply(membership.heartbeat(c.peer(), c.incarnation(), processes, uptime, now, wall)));
    }

    private void onGossip(MessageUnpacker in) throws IOException {
        int n = in.unpackArrayHeader();
        if (n > 100_000) {
            throw new IOException("gossip digest of " + n + " entries");
        }
        List<GossipEntry> entries = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            if (in.unpackArrayHeader() != 2) {
                throw new IOException("gossip entry must have 2 fields");
            }
            entries.add(new GossipEntry(NodeId.parse(in.unpackString()), in.unpackLong()));
        }
        membershipExecutor.execute(() -> apply(membership.gossip(entries, scheduler.nanoTime())));
    }

    private void onNodeDown(Connection c, MessageUnpacker in) throws IOException {
        NodeId announced = NodeId.parse(in.unpackString());
        if (!announced.equals(c.peer())) {
            drop(c, c.peer() + " announced the shutdown of another node, " + announced + " (only a node may announce its own)");
            return;
        }
        membershipExecutor.execute(() -> apply(membership.gracefulShutdown(c.peer(), c.incarnation(), scheduler.nanoTime())));
    }

    private void drop(Connection c, String why) {
        droppedFrames.increment();
        log.debug("dropped a frame from {}: {}", c.peer(), why);
    }

    // ================================================================== membership

    /** Applies a transition and carries out its events, in order. Membership executor only. */
    private void apply(Membership.Transition t) {
        membership = t.next();
        for (MembershipEvent e : t.events()) {
            switch (e) {
                case MembershipEvent.Dial d -> {
                    if (running) {
                        transport.connect(d.id());
                    }
                }
                case MembershipEvent.Forget f -> transport.forget(f.id());
                case MembershipEvent.Disconnect d -> transport.connection(d.id())
                        .filter(c -> c.incarnation() == d.incarnation())
                        .ifPresent(Connection::close);
                case MembershipEvent.Up u -> {
                    log.debug("{}: {} is up (incarnation {})", self, u.member().id(), u.member().incarnation());
                    for (MembershipListener l : listeners) {
                        l.nodeUp(u.member());
                    }
                }
                case MembershipEvent.Down d -> {
                    log.debug("{}: {} is down ({})", self, d.member().id(), d.reason());
                    for (MembershipListener l : listeners) {
                        l.nodeDown(d.member(), d.reason());
                    }
                }
            }
        }
    }

    private void scheduleTick() {
        long period = Math.max(1, config.heartbeatInterval().toNanos() / CHECKS_PER_INTERVAL);
        nextTickNanos += period;
        long delay = Math.max(0, nextTickNanos - scheduler.nanoTime());
        tick = scheduler.schedule(() -> membershipExecutor.execute(this::onTick), Duration.ofNanos(delay));
    }

    private void onTick() {
        if (!running) {
            return;
        }
        long now = scheduler.nanoTime();
        List<Connection> connections = transport.connections();
        for (Connection c : connections) {
            apply(membership.alive(c.peer(), c.incarnation(), c.lastReceivedNanos()));
        }
        apply(membership.tick(now, config.heartbeatTimeout().toNanos(), config.downNodeRetention().toNanos()));
        if (++ticks % CHECKS_PER_INTERVAL == 0) {
            for (Connection c : connections) {
                sendHeartbeat(c);
            }
            List<Connection> shuffled = new ArrayList<>(connections);
            Collections.shuffle(shuffled, ThreadLocalRandom.current());
            for (int i = 0; i < Math.min(GOSSIP_FANOUT, shuffled.size()); i++) {
                sendGossip(shuffled.get(i));
            }
        }
        if (scheduler.nanoTime() - nextTickNanos > config.heartbeatInterval().toNanos()) {
            nextTickNanos = scheduler.nanoTime(); // far behind (a freeze of this JVM): do not catch up in a burst
        }
        scheduleTick();
    }

    private void sendHeartbeat(Connection c) {
        long uptime = Duration.ofNanos(scheduler.nanoTime() - startedNanos).toMillis();
        int processes = node.processCount();
        // Control traffic bypasses the high-water mark: a flood of casts must not starve it.
        c.sendAnswer(encode(MessageType.HEARTBEAT, (out, v) -> {
            out.packInt(processes);
            out.packLong(uptime);
        }));
    }

    private void sendGossip(Connection c) {
        List<GossipEntry> digest = membership.digest(incarnation);
        c.sendAnswer(encode(MessageType.GOSSIP, (out, v) -> {
            out.packArrayHeader(digest.size());
            for (GossipEntry e : digest) {
                out.packArrayHeader(2);
                out.packString(e.id().toString());
                out.packLong(e.incarnation());
            }
        }));
    }

    // ================================================================== queries

    /** @return this node's NodeId */
    public NodeId self() {
        return self;
    }

    /** @return this life's incarnation */
    public long incarnation() {
        return incarnation;
    }

    /** @return the current membership view */
    public Membership membership() {
        return membership;
    }

    /** @return how long this node has been in the cluster */
    public Duration uptime() {
        return Duration.ofNanos(scheduler.nanoTime() - startedNanos);
    }

    /** @return this node as a member: connected, with its own process count and uptime */
    public NodeInfo selfInfo() {
        return new NodeInfo(self, NodeStatus.CONNECTED, node.processCount(), Optional.of(scheduler.now()), uptime(),
                incarnation);
    }

    /**
     * @param m a member
     * @return what the API reports about it
     */
    public static NodeInfo info(Member m) {
        return new NodeInfo(m.id(), m.state() == MemberState.UP ? NodeStatus.CONNECTED : NodeStatus.DISCONNECTED,
                m.processCount(), m.lastHeartbeatAt(), Duration.ofMillis(m.uptimeMillis()), m.incarnation());
    }

    /** @return this node and every member that is up: where work can be placed now */
    public List<NodeInfo> liveNodes() {
        List<NodeInfo> out = new ArrayList<>();
        out.add(selfInfo());
        for (Member m : membership.up()) {
            out.add(info(m));
        }
        return out;
    }

    /** @return the transport's counters */
    public TransportCounters transportCounters() {
        return transport.counters();
    }

    /** @return outbound bytes not yet written to the socket, summed over every connection */
    public long queuedOutboundBytes() {
        long sum = 0;
        for (Connection c : transport.connections()) {
            sum += c.queuedBytes();
        }
        return sum;
    }

    /** @return frames dropped above the transport (undecodable, unknown type, wrong sender) */
    public long droppedFrames() {
        return droppedFrames.sum();
    }

    /**
     * @param id a node
     * @return whether it is connected right now
     */
    public boolean isConnected(NodeId id) {
        return transport.connection(id).isPresent();
    }

    /** @return the codec */
    public WireCodec codec() {
        return codec;
    }

    /** @return the node */
    public LocalNode node() {
        return node;
    }

    /** @return the membership executor, for work that must be ordered with membership events */
    public SerialExecutor membershipExecutor() {
        return membershipExecutor;
    }
}
