package io.noex.distribution;

import io.noex.Node;
import io.noex.NodeId;
import io.noex.Subscription;
import io.noex.distribution.cluster.ClusterRuntime;
import io.noex.distribution.cluster.Member;
import io.noex.distribution.cluster.MemberState;
import io.noex.distribution.cluster.SerialExecutor;
import io.noex.distribution.monitor.RemoteSignalsService;
import io.noex.distribution.observer.ClusterObserverService;
import io.noex.distribution.registry.GlobalRegistryService;
import io.noex.distribution.supervisor.SupervisionService;
import io.noex.distribution.remote.RemoteLayer;
import io.noex.distribution.serialization.WireCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster membership of one {@link Node}: start and stop it, ask who the members are, and
 * listen for them coming and going. The static {@link Cluster} facade delegates here for the
 * current node; use this class directly to run several clustered nodes in one JVM:
 * {@snippet :
 * Node a = Node.create("a");
 * ClusterMembership.of(a).start(ClusterConfig.builder().nodeName("a").host("127.0.0.1").port(0).build());
 * }
 *
 * <p>Listeners run one at a time, in the order of the events, on a virtual thread of their own
 * (never on a network thread); one that throws is logged at WARN and the others still run.
 *
 * <p>Threading: thread-safe. {@link #start} and {@link #stop} block until done.
 */
public final class ClusterMembership {

    private static final Logger log = LoggerFactory.getLogger(ClusterMembership.class);

    private final Node node;
    private final SerialExecutor events;
    private final List<Consumer<NodeInfo>> upListeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<NodeId, NodeDownReason>> downListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ClusterStatus>> statusListeners = new CopyOnWriteArrayList<>();
    private volatile ClusterStatus status = ClusterStatus.STOPPED;
    private volatile ClusterRuntime runtime;
    private volatile RemoteLayer remote;
    private volatile RemoteSignalsService signals;
    private volatile GlobalRegistryService registry;
    private volatile SupervisionService supervision;
    private volatile ClusterObserverService observer;
    private long lastIncarnation;

    private ClusterMembership(Node node) {
        this.node = node;
        this.events = new SerialExecutor("cluster events of " + node.name());
    }

    /**
     * @param node a node
     * @return its cluster membership (one per node)
     */
    public static ClusterMembership of(Node node) {
        return node.extension(ClusterMembership.class, ClusterMembership::new);
    }

    /**
     * Joins (or forms) a cluster: binds the port, takes on the NodeId {@code nodeName@host:port},
     * dials the seeds (retrying those that are down with backoff), and returns once the node
     * accepts connections; it does not wait for the seeds.
     *
     * @param config the settings
     * @throws ClusterStateException if the cluster is already running on this node
     * @throws io.noex.NoexException if the port cannot be bound (the message names the address)
     */
    public synchronized void start(ClusterConfig config) {
        Objects.requireNonNull(config, "config");
        if (status != ClusterStatus.STOPPED) {
            throw new ClusterStateException(status, "Cluster.start on node " + node.nodeId());
        }
        setStatus(ClusterStatus.STARTING);
        var spi = node.spi();
        WireCodec codec = new WireCodec(Serialization.registry(node), spi::canonical);
        ClusterRuntime rt = new ClusterRuntime(config, spi, codec);
        RemoteLayer remoteLayer = new RemoteLayer(rt, node, BehaviorRegistry.table(node));
        // Before the signals service: a supervisor learns of a lost node before its children's
        // noconnection exits arrive, so it knows why they were lost.
        SupervisionService supervisors = new SupervisionService(rt, node, remoteLayer,
                SupervisionService.fenceDelay(config.heartbeatInterval()));
        RemoteSignalsService remoteSignals = new RemoteSignalsService(rt);
        GlobalRegistryService globalNames = new GlobalRegistryService(rt, node, config.downNodeRetention());
        ClusterObserverService clusterObserver = new ClusterObserverService(rt, node, remoteLayer, supervisors);
        rt.addListener(new ClusterRuntime.MembershipListener() {
            @Override
            public void nodeUp(Member member) {
                NodeInfo info = ClusterRuntime.info(member);
                events.execute(() -> upListeners.forEach(l -> guarded("onNodeUp", () -> l.accept(info))));
            }

            @Override
            public void nodeDown(Member member, NodeDownReason reason) {
                events.execute(() -> downListeners.forEach(l -> guarded("onNodeDown", () -> l.accept(member.id(), reason))));
            }
        });
        long incarnation = Math.max(lastIncarnation + 1, spi.scheduler().now().toEpochMilli());
        try {
            NodeId id = rt.start(incarnation);
            spi.assumeIdentity(id);
            spi.installRouter(remoteLayer.router(remoteSignals));
        } catch (RuntimeException e) {
            setStatus(ClusterStatus.STOPPED);
            throw e;
        }
        lastIncarnation = incarnation;
        remote = remoteLayer;
        signals = remoteSignals;
        registry = globalNames;
        supervision = supervisors;
        observer = clusterObserver;
        runtime = rt;
        setStatus(ClusterStatus.RUNNING);
        log.info("{} joined the cluster (incarnation {}, seeds {})", rt.self(), incarnation, config.seeds());
    }

    /**
     * Leaves the cluster: tells every peer this node is shutting down (they report
     * {@code graceful_shutdown}), closes every connection and releases the port. Local processes
     * keep running. The node can start a cluster again. A no-op if not running.
     */
    public synchronized void stop() {
        ClusterRuntime rt = runtime;
        if (rt == null) {
            return;
        }
        setStatus(ClusterStatus.STOPPING);
        try {
            supervision.clusterStopping(); // while the connections work: children stop on every node
            node.spi().installRouter(null); // new remote operations fail at once from here on
            rt.stop();                      // reports every member down: pending requests fail
            remote.stopped();
        } finally {
            runtime = null;
            remote = null;
            signals = null;
            registry = null;
            supervision = null;
            observer = null;
            node.spi().releaseIdentity();
            setStatus(ClusterStatus.STOPPED);
        }
    }

    /** @return the cluster status */
    public ClusterStatus status() {
        return status;
    }

    /** @return this node's NodeId (its placeholder {@code name@nohost:1} while no cluster runs) */
    public NodeId localNodeId() {
        return node.nodeId();
    }

    /** @return every member this node knows (connected or not), this node first */
    public List<NodeInfo> nodes() {
        ClusterRuntime rt = runtime;
        if (rt == null) {
            return List.of();
        }
        List<NodeInfo> out = new ArrayList<>();
        out.add(rt.selfInfo());
        for (Member m : rt.membership().members()) {
            out.add(ClusterRuntime.info(m));
        }
        return out;
    }

    /** @return the other members this node is connected to */
    public List<NodeInfo> connectedNodes() {
        return nodes().stream().filter(i -> i.isConnected() && !i.id().equals(node.nodeId())).toList();
    }

    /**
     * @param id a node
     * @return what this node knows about it
     */
    public Optional<NodeInfo> node(NodeId id) {
        return nodes().stream().filter(i -> i.id().equals(id)).findFirst();
    }

    /**
     * @param id a node
     * @return whether it is connected to this one
     */
    public boolean isNodeConnected(NodeId id) {
        ClusterRuntime rt = runtime;
        return rt != null && rt.membership().member(id).map(m -> m.state() == MemberState.UP).orElse(false);
    }

    /**
     * @param listener told of each node that comes up (or back)
     * @return unsubscribes when closed
     */
    public Subscription onNodeUp(Consumer<NodeInfo> listener) {
        upListeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> upListeners.remove(listener);
    }

    /**
     * @param listener told of each node that goes down, and why
     * @return unsubscribes when closed
     */
    public Subscription onNodeDown(BiConsumer<NodeId, NodeDownReason> listener) {
        downListeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> downListeners.remove(listener);
    }

    /**
     * @param listener told of each status change
     * @return unsubscribes when closed
     */
    public Subscription onStatusChange(Consumer<ClusterStatus> listener) {
        statusListeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> statusListeners.remove(listener);
    }

    /** @return this node's network counters, if the cluster runs */
    public Optional<ClusterMetrics> metrics() {
        ClusterRuntime rt = runtime;
        RemoteLayer rl = remote;
        RemoteSignalsService sg = signals;
        if (rt == null || rl == null || sg == null) {
            return Optional.empty();
        }
        var t = rt.transportCounters();
        var r = rl.counters();
        java.util.Map<String, Long> rejected = new java.util.TreeMap<>();
        t.violations().forEach((k, v) -> rejected.put(k.name().toLowerCase(java.util.Locale.ROOT), v));
        return Optional.of(new ClusterMetrics(t.framesIn(), t.framesOut(), t.bytesIn(), t.bytesOut(),
                t.connectionsOpened(), t.connectionsClosed(), t.dials(), t.failedDials(), t.refusedSends(), rt.queuedOutboundBytes(),
                java.util.Collections.unmodifiableMap(rejected), rt.droppedFrames(), r.callsServed(), r.callTimeouts(),
                r.droppedCasts(), r.lateReplies(), r.undecodableRequests(), sg.ignoredSignals(), rl.pendingRequests()));
    }

    /** For the layers this package composes; empty while no cluster runs. */
    Optional<ClusterRuntime> runtime() {
        return Optional.ofNullable(runtime);
    }

    Optional<RemoteLayer> remote() {
        return Optional.ofNullable(remote);
    }

    Optional<RemoteSignalsService> signals() {
        return Optional.ofNullable(signals);
    }

    Optional<GlobalRegistryService> registry() {
        return Optional.ofNullable(registry);
    }

    Optional<SupervisionService> supervision() {
        return Optional.ofNullable(supervision);
    }

    Optional<ClusterObserverService> observer() {
        return Optional.ofNullable(observer);
    }

    private void setStatus(ClusterStatus next) {
        status = next;
        events.execute(() -> statusListeners.forEach(l -> guarded("onStatusChange", () -> l.accept(next))));
    }

    private static void guarded(String what, Runnable callback) {
        try {
            callback.run();
        } catch (Throwable t) {
            log.warn("a {} listener threw; ignored", what, t);
        }
    }
}
