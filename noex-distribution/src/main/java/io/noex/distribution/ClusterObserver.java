package io.noex.distribution;

import io.noex.Node;
import io.noex.Subscription;
import io.noex.distribution.observer.ClusterObserverService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A view of the whole cluster: each member's processes, supervisors, message counts, memory and
 * status, asked of the members themselves.
 * {@snippet :
 * ClusterSnapshot now = ClusterObserver.snapshot();
 * try (Subscription s = ClusterObserver.poll(Duration.ofSeconds(5), snap -> dashboard.show(snap))) {
 *     // ...
 * }
 * }
 */
public final class ClusterObserver {

    private static final Logger log = LoggerFactory.getLogger(ClusterObserver.class);
    /** How long a member may take to answer a snapshot request by default: 2 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private ClusterObserver() {
    }

    /** @return the current node's snapshot of the cluster (members have 2 s to answer) */
    public static ClusterSnapshot snapshot() {
        return snapshot(Node.current(), DEFAULT_TIMEOUT);
    }

    /**
     * @param node the observing node
     * @param timeout how long each member may take to answer
     * @return every member's figures, the observing node first
     * @throws ClusterStateException if the node's cluster is not running
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public static ClusterSnapshot snapshot(Node node, Duration timeout) {
        Objects.requireNonNull(node, "node");
        positive("timeout", timeout);
        ClusterMembership m = ClusterMembership.of(node);
        ClusterObserverService observer = m.observer().orElseThrow(() -> new ClusterStateException(m.status(),
                "the ClusterObserver needs a running cluster on node " + node.nodeId()));
        List<NodeSnapshot> nodes = new ArrayList<>();
        for (ClusterObserverService.Answer a : observer.gather(timeout)) {
            ObservedStatus status = ObservedStatus.valueOf(a.status());
            if (status != ObservedStatus.CONNECTED) {
                nodes.add(NodeSnapshot.absent(a.node(), status, a.error()));
                continue;
            }
            Map<String, Object> f = a.figures();
            nodes.add(new NodeSnapshot(a.node(), status, num(f, "processes").intValue(), num(f, "supervisors").intValue(),
                    num(f, "handled").longValue(), num(f, "dropped").longValue(), num(f, "framesIn").longValue(),
                    num(f, "framesOut").longValue(), num(f, "heapUsed").longValue(), num(f, "heapMax").longValue(),
                    Duration.ofMillis(num(f, "uptimeMillis").longValue()), Optional.empty()));
        }
        return new ClusterSnapshot(node.spi().scheduler().now(), List.copyOf(nodes));
    }

    /**
     * Takes a snapshot every {@code interval} and hands it to {@code listener} (on a virtual
     * thread of its own) until the subscription is closed.
     *
     * @param interval time between snapshots
     * @param listener told of each snapshot; what it throws is logged and polling goes on
     * @return stops the polling when closed
     * @throws IllegalArgumentException if the interval is not positive
     */
    public static Subscription poll(Duration interval, Consumer<ClusterSnapshot> listener) {
        return poll(Node.current(), interval, listener);
    }

    /**
     * {@link #poll(Duration, Consumer)} for a given node (for several nodes in one JVM). A
     * snapshot that fails (the node's cluster stopped) is logged and polling goes on, so it
     * resumes when the cluster runs again.
     *
     * @param node the observing node
     * @param interval time between snapshots
     * @param listener told of each snapshot
     * @return stops the polling when closed
     * @throws IllegalArgumentException if the interval is not positive
     */
    public static Subscription poll(Node node, Duration interval, Consumer<ClusterSnapshot> listener) {
        Objects.requireNonNull(node, "node");
        positive("interval", interval);
        Objects.requireNonNull(listener, "listener");
        AtomicBoolean running = new AtomicBoolean(true);
        Thread poller = Thread.ofVirtual().name("noex-observer-" + node.name()).start(() -> {
            while (running.get()) {
                ClusterSnapshot snap = null;
                try {
                    snap = snapshot(node, DEFAULT_TIMEOUT);
                } catch (RuntimeException e) {
                    log.warn("a ClusterObserver poll of node {} failed; polling goes on: {}", node.nodeId(), e.toString());
                }
                if (snap != null) {
                    try {
                        listener.accept(snap);
                    } catch (Throwable t) {
                        log.warn("a ClusterObserver poll listener threw; ignored, polling goes on", t);
                    }
                }
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return () -> {
            running.set(false);
            poller.interrupt();
        };
    }

    private static void positive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }

    private static Number num(Map<String, Object> figures, String key) {
        return figures.get(key) instanceof Number n ? n : 0;
    }
}
