package io.noex.distribution.supervisor;

import io.noex.ChildCounts;
import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.StartOptions;
import io.noex.Subscription;
import io.noex.distribution.DistributedChildInfo;
import io.noex.distribution.DistributedSupervisorEvent;
import io.noex.distribution.DistributedSupervisorException;
import io.noex.distribution.DistributedSupervisorRef;
import io.noex.distribution.DistributedSupervisorSpec;
import io.noex.distribution.NodeDownReason;
import io.noex.distribution.NodeInfo;
import io.noex.distribution.SpawnOptions;
import io.noex.distribution.SpawnResult;
import io.noex.distribution.cluster.ClusterRuntime;
import io.noex.distribution.cluster.Member;
import io.noex.distribution.cluster.SerialExecutor;
import io.noex.distribution.remote.RemoteLayer;
import io.noex.distribution.serialization.TypeRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the distributed supervisors of one node share: where children can go (this node and the
 * members that are up), spawning and fencing them, news of lost nodes (forwarded to each local
 * supervisor as a {@link SupervisorMessages.NodeLost} message, ahead of the children's
 * {@code noconnection} exits), the old copies of moved children (killed if their node comes back
 * in the same life), stopping the supervisors when the node leaves the cluster, and
 * lifecycle-event subscriptions.
 *
 * <p>Threading: thread-safe. Event handlers run one at a time on their own virtual thread.
 */
public final class SupervisionService {

    private static final Logger log = LoggerFactory.getLogger(SupervisionService.class);
    /** How long a supervisor may take to stop when its node leaves the cluster. */
    static final Duration STOP_ON_LEAVE = Duration.ofSeconds(10);
    /** The least margin of the fencing delay, for scheduling delays on a loaded machine. */
    private static final Duration MIN_MARGIN = Duration.ofMillis(500);

    private final ClusterRuntime runtime;
    private final Node node;
    private final RemoteLayer remote;
    private final Duration fenceDelay;
    private final SerialExecutor events;
    private final Map<GenServerRef, List<Consumer<DistributedSupervisorEvent>>> handlers = new ConcurrentHashMap<>();
    private final Set<GenServerRef> running = ConcurrentHashMap.newKeySet();
    /** Each member now down: why, in which life, and the old copies of children moved off it. */
    private final Map<NodeId, Lost> lost = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    /**
     * A lost member: why it was lost, the life it was lost in, and the children moved off it, to
     * kill there if it comes back in that same life.
     */
    private record Lost(NodeDownReason reason, long incarnation, Set<GenServerRef> orphans) {
    }

    /**
     * How long a supervisor waits, after a member was lost to a heartbeat timeout, before it
     * starts that member's children elsewhere: two heartbeat intervals plus a margin of one
     * interval, and at least 500 ms.
     *
     * <p>Why that is enough: the cut-off member kills its fenced children when it stops hearing
     * the supervisor's node, by the same heartbeat timeout. Each side's last frame from the other
     * arrived at most one interval before the cut (heartbeats go out every interval) and each side
     * checks once an interval, so the cut-off member notices at most two intervals after the
     * supervisor's node does. The margin covers a tick run late on a loaded machine.
     *
     * @param heartbeatInterval the cluster's heartbeat interval
     * @return the fencing delay
     */
    public static Duration fenceDelay(Duration heartbeatInterval) {
        Duration margin = heartbeatInterval.compareTo(MIN_MARGIN) >= 0 ? heartbeatInterval : MIN_MARGIN;
        return heartbeatInterval.multipliedBy(2).plus(margin);
    }

    /**
     * @param runtime the node's cluster runtime (not started yet)
     * @param node the node
     * @param remote the remote layer (spawns and fences)
     * @param fenceDelay how long to wait, after a node is lost to a heartbeat timeout (it may
     *     still run, cut off), before its children are started elsewhere: long enough for that
     *     node to notice the loss too and kill them ({@link #fenceDelay(Duration)})
     */
    public SupervisionService(ClusterRuntime runtime, Node node, RemoteLayer remote, Duration fenceDelay) {
        this.runtime = runtime;
        this.node = node;
        this.remote = remote;
        this.fenceDelay = fenceDelay;
        this.events = new SerialExecutor("distributed supervisor events of " + node.name());
        register(runtime.codec().types());
        runtime.addListener(new ClusterRuntime.MembershipListener() {
            @Override
            public void nodeUp(Member member) {
                Lost left = lost.remove(member.id());
                if (left != null && left.incarnation() == member.incarnation() && !left.orphans().isEmpty()) {
                    killOrphans(member.id(), left.orphans());
                }
            }

            @Override
            public void nodeDown(Member member, NodeDownReason reason) {
                lost.put(member.id(), new Lost(reason, member.incarnation(), ConcurrentHashMap.newKeySet()));
                for (GenServerRef sup : running) {
                    node.send(sup, new SupervisorMessages.NodeLost(member.id(), reason.name()));
                }
            }
        });
    }

    private static void register(TypeRegistry types) {
        types.register("noex.dsup.StartChild", SupervisorMessages.StartChild.class);
        types.register("noex.dsup.StartInstance", SupervisorMessages.StartInstance.class);
        types.register("noex.dsup.TerminateChild", SupervisorMessages.TerminateChild.class);
        types.register("noex.dsup.RestartChild", SupervisorMessages.RestartChild.class);
        types.register("noex.dsup.WhichChildren", SupervisorMessages.WhichChildren.class);
        types.register("noex.dsup.CountChildren", SupervisorMessages.CountChildren.class);
        types.register("noex.dsup.Refused", SupervisorMessages.Refused.class);
        types.register("noex.dsup.ChildInfo", DistributedChildInfo.class);
        types.register("noex.ChildCounts", ChildCounts.class);
    }

    /**
     * Starts a distributed supervisor on this node.
     *
     * @param spec the spec
     * @return its ref
     */
    public DistributedSupervisorRef start(DistributedSupervisorSpec spec) {
        Objects.requireNonNull(spec, "spec");
        DistributedSupervisorServer server = new DistributedSupervisorServer(this, spec);
        GenServerRef ref = node.start(server, StartOptions.builder().trapExit(true).initTimeout(Duration.ofSeconds(60)).build());
        return new DistributedSupervisorRef(ref);
    }

    /** A supervisor started: its spec's listeners hear everything from its first event on. */
    void registered(GenServerRef supervisor, List<Consumer<DistributedSupervisorEvent>> listeners) {
        handlers.computeIfAbsent(supervisor, s -> new CopyOnWriteArrayList<>()).addAll(listeners);
        running.add(supervisor);
    }

    void unregistered(GenServerRef supervisor) {
        running.remove(supervisor);
        events.execute(() -> handlers.remove(supervisor)); // after the events already queued
    }

    /**
     * @param supervisor a supervisor on this node
     * @param handler told of its lifecycle events
     * @return unsubscribes when closed
     * @throws DistributedSupervisorException if no such supervisor runs on this node
     */
    public Subscription subscribe(GenServerRef supervisor, Consumer<DistributedSupervisorEvent> handler) {
        Objects.requireNonNull(handler, "handler");
        GenServerRef key = node.spi().canonical(supervisor);
        if (!running.contains(key)) {
            throw new DistributedSupervisorException("-", "no distributed supervisor " + supervisor
                    + " runs on node " + node.nodeId(), null);
        }
        List<Consumer<DistributedSupervisorEvent>> list = handlers.computeIfAbsent(key, s -> new CopyOnWriteArrayList<>());
        list.add(handler);
        return () -> list.remove(handler);
    }

    /**
     * This node is about to leave the cluster: each of its distributed supervisors stops (its
     * children stop on every node while the connections still work). A supervisor that does not
     * stop within {@link #STOP_ON_LEAVE} is killed; its remote children then die by their fences
     * when the peers see this node go.
     */
    public void clusterStopping() {
        stopping = true;
        for (GenServerRef sup : List.copyOf(running)) {
            try {
                node.stop(sup, ExitReason.shutdown(), STOP_ON_LEAVE);
            } catch (RuntimeException e) {
                log.warn("stopping distributed supervisor {} as its node leaves the cluster: {}", sup, e.toString());
            }
        }
    }

    boolean isStopping() {
        return stopping;
    }

    /** A child was moved off {@code lost}: its old copy dies there if the node comes back in the same life. */
    void orphaned(NodeId from, GenServerRef oldCopy) {
        Lost l = lost.get(from);
        if (l != null) {
            l.orphans().add(oldCopy);
        }
    }

    private void killOrphans(NodeId back, Set<GenServerRef> refs) {
        // A partition healed before the cut-off node noticed it (its fences did not fire): the
        // copies started elsewhere are the real ones. Off the membership thread: kills are requests.
        Thread.ofVirtual().name("noex-dsup-orphans-" + back.name()).start(() -> {
            for (GenServerRef ref : refs) {
                try {
                    node.kill(ref);
                } catch (RuntimeException e) {
                    log.debug("killing the old copy {} on {}: {}", ref, back, e.toString());
                }
            }
            log.info("{} is back: killed {} old copies of children that had been started elsewhere", back, refs.size());
        });
    }

    void emit(GenServerRef supervisor, DistributedSupervisorEvent event) {
        List<Consumer<DistributedSupervisorEvent>> list = handlers.get(supervisor);
        if (list == null || list.isEmpty()) {
            return;
        }
        events.execute(() -> {
            for (Consumer<DistributedSupervisorEvent> h : list) {
                try {
                    h.accept(event);
                } catch (Throwable t) {
                    log.warn("a DistributedSupervisor lifecycle handler threw; ignored", t);
                }
            }
        });
    }

    /** @return distributed supervisors running on this node */
    public int localSupervisors() {
        return running.size();
    }

    List<NodeInfo> candidates() {
        return runtime.liveNodes();
    }

    SpawnResult spawn(String behavior, NodeId target, List<Object> args) {
        return remote.spawn(behavior, target, SpawnOptions.builder().args(args).build());
    }

    void fence(GenServerRef child) {
        if (!node.isLocal(child.nodeId())) {
            remote.fence(child);
        }
    }

    /** @return how long to wait before restarting a child of {@code lost} elsewhere */
    Duration migrationDelay(NodeId from) {
        NodeDownReason why = lastDown(from).orElse(null);
        return why == NodeDownReason.CONNECTION_CLOSED || why == NodeDownReason.GRACEFUL_SHUTDOWN ? Duration.ZERO : fenceDelay;
    }

    Node node() {
        return node;
    }

    boolean isUp(NodeId id) {
        return node.isLocal(id) || runtime.isConnected(id) && !lost.containsKey(id);
    }

    Optional<NodeDownReason> lastDown(NodeId id) {
        return Optional.ofNullable(lost.get(id)).map(Lost::reason);
    }
}
