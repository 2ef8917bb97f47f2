package io.noex.examples;

import io.noex.Node;
import io.noex.NodeId;
import io.noex.distribution.ClusterConfig;
import io.noex.distribution.ClusterMembership;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A few clustered nodes in this JVM, over real TCP on 127.0.0.1, for the example programs: each a
 * {@link Node} of its own with its cluster on a free port; the first has no seeds and the others
 * join through it. Nodes talk to each other exactly as nodes in separate JVMs do (the same
 * handshake, frames and serialization), so the example code runs unchanged with one node per JVM.
 * {@snippet :
 * try (ExampleCluster cluster = ExampleCluster.start(List.of("a", "b", "c"), ExampleBehaviors::registerAll)) {
 *     Node a = cluster.node(0);
 *     // ... spawn, call and name processes on any of them ...
 * }
 * }
 *
 * <p>Threading: start, stop and close from one thread.
 */
public final class ExampleCluster implements AutoCloseable {

    /** How long {@link #start} waits for every node to see every other. */
    static final Duration MESH_TIMEOUT = Duration.ofSeconds(15);

    private final List<Node> nodes = new ArrayList<>();

    private ExampleCluster() {
    }

    /**
     * Starts one node per name and waits until each is connected to all the others.
     *
     * @param names the nodes' names (valid NodeId names, no repeats)
     * @param setup run on each node before it joins: register behaviors and message types here
     * @return the running cluster
     * @throws IllegalStateException if the nodes do not all meet within 15 s
     */
    public static ExampleCluster start(List<String> names, Consumer<Node> setup) {
        Objects.requireNonNull(setup, "setup");
        ExampleCluster cluster = new ExampleCluster();
        try {
            for (String name : names) {
                Node node = Node.create(name);
                cluster.nodes.add(node);
                setup.accept(node);
                // Default heartbeats (1 s, down after 3 missed): the examples stop nodes gracefully,
                // which peers learn at once, and need no faster detection of frozen ones.
                ClusterConfig.Builder config = ClusterConfig.builder().nodeName(name).host("127.0.0.1").port(0);
                if (cluster.nodes.size() > 1) {
                    config.seeds(cluster.nodes.get(0).nodeId().toString());
                }
                ClusterMembership.of(node).start(config.build());
            }
            cluster.awaitMesh();
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void awaitMesh() {
        await("every node to connect to every other", MESH_TIMEOUT, () -> meshed() ? Optional.of(true) : Optional.empty());
    }

    /**
     * Waits for something that happens elsewhere in the cluster (a global name to arrive, a child
     * to move), probing every 10 ms: the examples never sleep a fixed time hoping it happened.
     *
     * @param what what is awaited, for the error
     * @param timeout how long to wait
     * @param probe yields the value once it is there
     * @param <T> the value's type
     * @return the first value the probe yields
     * @throws IllegalStateException if it yields none within the timeout
     */
    public static <T> T await(String what, Duration timeout, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (;;) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("gave up waiting " + timeout.toMillis() + " ms for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    private boolean meshed() {
        return nodes.stream().allMatch(n -> ClusterMembership.of(n).connectedNodes().size() == nodes.size() - 1);
    }

    /**
     * @param i the node's index, in the order of the names given to {@link #start}
     * @return the node
     */
    public Node node(int i) {
        return nodes.get(i);
    }

    /**
     * @param i the node's index
     * @return its NodeId ({@code name@127.0.0.1:port})
     */
    public NodeId nodeId(int i) {
        return nodes.get(i).nodeId();
    }

    /** @return the nodes, in start order */
    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /**
     * Makes node {@code i} leave the cluster gracefully and closes it: the others see it go down
     * ({@code graceful_shutdown}) at once. Idempotent.
     *
     * @param i the node's index
     */
    public void stop(int i) {
        Node node = nodes.get(i);
        if (node.isClosed()) {
            return;
        }
        try {
            ClusterMembership.of(node).stop();
        } finally {
            node.close();
        }
    }

    /** Stops every node. */
    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            stop(i);
        }
    }
}
