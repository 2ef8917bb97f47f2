package io.noex.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.noex.Node;
import io.noex.NodeStats;
import io.noex.distribution.ClusterMembership;
import io.noex.distribution.ClusterMetrics;
import io.noex.distribution.NodeInfo;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * Binds one {@link Node}'s counters to a Micrometer {@link MeterRegistry}: its processes (from
 * {@link Node#stats()}) and, while it is in a cluster, its network and remote-call counters (from
 * {@link ClusterMembership#metrics()}). Every meter carries the tag {@code node} (the node's
 * {@linkplain Node#name() name}) and any extra tags given.
 * {@snippet :
 * Node node = Node.create("orders");
 * new NoexMetrics(node).bindTo(registry);   // before or after Cluster.start
 * }
 *
 * <table class="striped">
 *   <caption>Meters</caption>
 *   <thead><tr><th>name</th><th>type</th><th>what</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code noex.processes}</td><td>gauge</td><td>live processes</td></tr>
 *     <tr><td>{@code noex.processes.started}, {@code .exited}, {@code .crashed}</td><td>counter</td>
 *         <td>processes started; exited for any reason; exited with an error</td></tr>
 *     <tr><td>{@code noex.messages.dropped}</td><td>counter</td><td>casts and sends to a process that was not running</td></tr>
 *     <tr><td>{@code noex.messages.handled}</td><td>counter</td><td>messages handled by processes (calls, casts, infos, signals)</td></tr>
 *     <tr><td>{@code noex.monitors}, {@code noex.timers}, {@code noex.names}</td><td>gauge</td>
 *         <td>active monitors, pending timers, registered names</td></tr>
 *     <tr><td>{@code noex.cluster.members.connected}</td><td>gauge</td><td>other nodes connected</td></tr>
 *     <tr><td>{@code noex.cluster.frames.in}, {@code .out}</td><td>counter</td><td>frames received, sent</td></tr>
 *     <tr><td>{@code noex.cluster.bytes.in}, {@code .out}</td><td>counter</td><td>bytes received, sent</td></tr>
 *     <tr><td>{@code noex.cluster.connections.opened}, {@code .closed}</td><td>counter</td><td>connections handshaken, closed</td></tr>
 *     <tr><td>{@code noex.cluster.dials}, {@code noex.cluster.dials.failed}</td><td>counter</td>
 *         <td>outbound connection attempts (first dials and reconnects), and those that failed</td></tr>
 *     <tr><td>{@code noex.cluster.sends.refused}</td><td>counter</td><td>sends refused: no connection, or the peer's queue was full</td></tr>
 *     <tr><td>{@code noex.cluster.connections.rejected}, tag {@code reason}</td><td>counter</td>
 *         <td>connections closed during or after the handshake, by reason ({@code bad_signature}, {@code authentication_failed}, {@code duplicate_connection} for the losing side of a simultaneous dial, ...)</td></tr>
 *     <tr><td>{@code noex.cluster.frames.dropped}</td><td>counter</td><td>frames of an unknown type or that failed to decode</td></tr>
 *     <tr><td>{@code noex.cluster.calls.served}</td><td>counter</td><td>remote calls this node's processes answered</td></tr>
 *     <tr><td>{@code noex.cluster.calls.timeouts}</td><td>counter</td><td>remote calls from this node that timed out</td></tr>
 *     <tr><td>{@code noex.cluster.casts.dropped}</td><td>counter</td><td>remote casts dropped (no connection)</td></tr>
 *     <tr><td>{@code noex.cluster.replies.late}</td><td>counter</td><td>replies that arrived after their call timed out</td></tr>
 *     <tr><td>{@code noex.cluster.requests.undecodable}</td><td>counter</td><td>requests whose message could not be decoded</td></tr>
 *     <tr><td>{@code noex.cluster.signals.ignored}</td><td>counter</td><td>remote monitor and link signals for no known process</td></tr>
 *     <tr><td>{@code noex.cluster.requests.pending}</td><td>gauge</td><td>remote calls and spawns waiting for an answer</td></tr>
 *     <tr><td>{@code noex.cluster.outbound.queued}</td><td>gauge</td><td>bytes queued for peers, not yet written (flow control)</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>The cluster meters read 0 until the node joins a cluster. {@code Cluster.stop} ends the
 * cluster's counters, and a later {@code Cluster.start} begins new ones at 0; the counters bound
 * here carry the earlier totals forward, so they never go down. The meters read the node's own
 * counters when the registry asks (there is no copying or polling); they hold the node weakly, as
 * Micrometer's function meters do, and read {@code NaN} once it is garbage.
 *
 * <p>Threading: {@link #bindTo} may be called from any thread, for any number of registries.
 */
public final class NoexMetrics implements MeterBinder {

    /**
     * The values of {@link ClusterMetrics#rejectedConnections()}'s keys, bound even before the
     * node joins a cluster (while it is not in one, the map is empty). Keys a running cluster
     * reports that are not listed here are bound as well, when bound after {@code Cluster.start}.
     */
    static final List<String> REJECTION_REASONS = ClusterMetrics.REJECTION_REASONS;

    private final Node node;
    private final ClusterMembership membership;
    private final Tags tags;

    /**
     * @param node the node to measure
     */
    public NoexMetrics(Node node) {
        this(node, Tags.empty());
    }

    /**
     * @param node the node to measure
     * @param extraTags tags for every meter, besides {@code node}
     */
    public NoexMetrics(Node node, Iterable<Tag> extraTags) {
        this.node = Objects.requireNonNull(node, "node");
        this.membership = ClusterMembership.of(node);
        this.tags = Tags.of(extraTags).and("node", node.name());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        bindNode(registry);
        bindCluster(registry);
    }

    private void bindNode(MeterRegistry registry) {
        gauge(registry, "noex.processes", "live processes on the node", s -> s.processes());
        nodeCounter(registry, "noex.processes.started", "processes started", NodeStats::started);
        nodeCounter(registry, "noex.processes.exited", "processes that exited, for any reason", NodeStats::exited);
        nodeCounter(registry, "noex.processes.crashed", "processes that exited with an error", NodeStats::crashed);
        nodeCounter(registry, "noex.messages.dropped", "casts and sends to a process that was not running",
                NodeStats::droppedMessages);
        nodeCounter(registry, "noex.messages.handled", "messages (calls, casts, infos, signals) handled by processes",
                NodeStats::handledMessages);
        gauge(registry, "noex.monitors", "active monitors", s -> s.monitors());
        gauge(registry, "noex.timers", "pending timers", s -> s.timers());
        gauge(registry, "noex.names", "locally registered names", s -> s.names());
    }

    private void bindCluster(MeterRegistry registry) {
        Gauge.builder("noex.cluster.members.connected", node, n -> membership.connectedNodes().size())
                .description("other nodes this node is connected to").tags(tags).register(registry);
        clusterCounter(registry, "noex.cluster.frames.in", "frames received", "frames", ClusterMetrics::framesIn);
        clusterCounter(registry, "noex.cluster.frames.out", "frames sent", "frames", ClusterMetrics::framesOut);
        clusterCounter(registry, "noex.cluster.bytes.in", "bytes received", "bytes", ClusterMetrics::bytesIn);
        clusterCounter(registry, "noex.cluster.bytes.out", "bytes sent", "bytes", ClusterMetrics::bytesOut);
        clusterCounter(registry, "noex.cluster.connections.opened", "connections handshaken", null,
                ClusterMetrics::connectionsOpened);
        clusterCounter(registry, "noex.cluster.connections.closed", "connections closed", null,
                ClusterMetrics::connectionsClosed);
        clusterCounter(registry, "noex.cluster.dials", "outbound connection attempts, first dials and reconnects", null,
                ClusterMetrics::dials);
        clusterCounter(registry, "noex.cluster.dials.failed", "outbound connection attempts that failed", null,
                ClusterMetrics::failedDials);
        clusterCounter(registry, "noex.cluster.sends.refused", "sends refused: no connection or the peer's queue was full",
                null, ClusterMetrics::refusedSends);
        clusterCounter(registry, "noex.cluster.frames.dropped", "frames of an unknown type or that failed to decode",
                "frames", ClusterMetrics::droppedFrames);
        clusterCounter(registry, "noex.cluster.calls.served", "remote calls answered by this node's processes", null,
                ClusterMetrics::callsServed);
        clusterCounter(registry, "noex.cluster.calls.timeouts", "remote calls from this node that timed out", null,
                ClusterMetrics::callTimeouts);
        clusterCounter(registry, "noex.cluster.casts.dropped", "remote casts dropped for want of a connection", null,
                ClusterMetrics::droppedCasts);
        clusterCounter(registry, "noex.cluster.replies.late", "replies that arrived after their call timed out", null,
                ClusterMetrics::lateReplies);
        clusterCounter(registry, "noex.cluster.requests.undecodable", "requests whose message could not be decoded", null,
                ClusterMetrics::undecodableRequests);
        clusterCounter(registry, "noex.cluster.signals.ignored", "remote monitor and link signals for no known process",
                null, ClusterMetrics::ignoredSignals);
        Gauge.builder("noex.cluster.outbound.queued", node,
                        n -> membership.metrics().map(ClusterMetrics::queuedOutboundBytes).orElse(0L))
                .description("bytes queued for peers and not yet written (flow control refuses past the high-water mark)")
                .baseUnit("bytes").tags(tags).register(registry);
        Gauge.builder("noex.cluster.requests.pending", node,
                        n -> membership.metrics().map(ClusterMetrics::pendingRequests).orElse(0))
                .description("remote calls and spawns waiting for an answer").tags(tags).register(registry);
        TreeSet<String> reasons = new TreeSet<>(REJECTION_REASONS);
        membership.metrics().ifPresent(m -> reasons.addAll(m.rejectedConnections().keySet()));
        for (String reason : reasons) {
            CarriedTotal total = new CarriedTotal();
            FunctionCounter.builder("noex.cluster.connections.rejected", node,
                            n -> total.read(incarnation(), membership.metrics().map(m -> m.rejectedConnections().getOrDefault(reason, 0L))))
                    .description("connections closed during or after the handshake, by reason").tags(tags).tag("reason", reason)
                    .register(registry);
        }
    }

    private void gauge(MeterRegistry registry, String name, String description, ToLongFunction<NodeStats> value) {
        Gauge.builder(name, node, n -> value.applyAsLong(n.stats())).description(description).tags(tags).register(registry);
    }

    private void nodeCounter(MeterRegistry registry, String name, String description, ToLongFunction<NodeStats> value) {
        FunctionCounter.builder(name, node, n -> value.applyAsLong(n.stats())).description(description).tags(tags)
                .register(registry);
    }

    private void clusterCounter(MeterRegistry registry, String name, String description, String unit,
                                ToLongFunction<ClusterMetrics> value) {
        CarriedTotal total = new CarriedTotal();
        FunctionCounter.builder(name, node, n -> total.read(incarnation(), membership.metrics().map(value::applyAsLong)))
                .description(description).baseUnit(unit).tags(tags).register(registry);
    }

    /** The incarnation of this node's running cluster: a new one after each {@code Cluster.start}. */
    private Optional<Long> incarnation() {
        return membership.node(membership.localNodeId()).map(NodeInfo::incarnation);
    }

    /**
     * One cluster counter made monotonic across cluster restarts: when the incarnation changes,
     * the previous run's last reading becomes part of the base.
     */
    static final class CarriedTotal {
        private long base;
        private long last;
        private long incarnation = -1;

        synchronized double read(Optional<Long> currentIncarnation, Optional<Long> raw) {
            if (currentIncarnation.isPresent() && raw.isPresent()) {
                if (currentIncarnation.get() != incarnation) {
                    base += last;
                    last = 0;
                    incarnation = currentIncarnation.get();
                }
                last = Math.max(last, raw.get());
            }
            return base + last;
        }
    }
}
