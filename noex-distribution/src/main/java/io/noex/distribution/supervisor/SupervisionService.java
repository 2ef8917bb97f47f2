package io.noex.distribution.supervisor;

import io.noex.ChildCounts;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.StartOptions;
import io.noex.Subscription;
import io.noex.distribution.DistributedChildInfo;
import io.noex.distribution.DistributedSupervisorEvent;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the distributed supervisors of one node share: where children can go (this node and the
 * members that are up), spawning and fencing them, news of lost nodes (forwarded to each local
 * supervisor as a {@link SupervisorMessages.NodeLost} message, ahead of the children's
 * {@code noconnection} exits), and lifecycle-event subscriptions.
 *
 * <p>Threading: thread-safe. Event handlers run one at a time on their own virtual thread.
 */
public final class SupervisionService {

    private static final Logger log = LoggerFactory.getLogger(SupervisionService.class);

    private final ClusterRuntime runtime;
    private final Node node;
    private final RemoteLayer remote;
    private final Duration fenceDelay;
    private final SerialExecutor events;
    private final Map<GenServerRef, List<Consumer<DistributedSupervisorEvent>>> handlers = new ConcurrentHashMap<>();
    private final Map<NodeId, NodeDownReason> lastDown = new ConcurrentHashMap<>();

    /**
     * @param runtime the node's cluster runtime (not started yet)
     * @param node the node
     * @param remote the remote layer (spawns and fences)
     * @param fenceDelay how long to wait, after a node is lost to a heartbeat timeout (it may
     *     still run, cut off), before its children are started elsewhere: long enough for that
     *     node to notice the loss too and kill them
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
                lastDown.remove(member.id());
            }

            @Override
            public void nodeDown(Member member, NodeDownReason reason) {
                lastDown.put(member.id(), reason);
                for (GenServerRef sup : handlers.keySet()) {
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

    void registered(GenServerRef supervisor) {
        handlers.putIfAbsent(supervisor, new CopyOnWriteArrayList<>());
    }

    void unregistered(GenServerRef supervisor) {
        events.execute(() -> handlers.remove(supervisor)); // after the events already queued
    }

    /**
     * @param supervisor a supervisor on this node
     * @param handler told of its lifecycle events
     * @return unsubscribes when closed
     */
    public Subscription subscribe(GenServerRef supervisor, Consumer<DistributedSupervisorEvent> handler) {
        List<Consumer<DistributedSupervisorEvent>> list = handlers.computeIfAbsent(node.spi().canonical(supervisor),
                s -> new CopyOnWriteArrayList<>());
        list.add(handler);
        return () -> list.remove(handler);
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
        return handlers.size();
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
    Duration migrationDelay(NodeId lost) {
        NodeDownReason why = lastDown.get(lost);
        return why == NodeDownReason.CONNECTION_CLOSED || why == NodeDownReason.GRACEFUL_SHUTDOWN ? Duration.ZERO : fenceDelay;
    }

    Node node() {
        return node;
    }

    boolean isUp(NodeId id) {
        return node.isLocal(id) || runtime.isConnected(id) && lastDown.get(id) == null;
    }

    Optional<NodeDownReason> lastDown(NodeId id) {
        return Optional.ofNullable(lastDown.get(id));
    }
}
