package io.noex.testkit;

import io.noex.Node;
import io.noex.NodeId;
import io.noex.distribution.ClusterConfig;
import io.noex.distribution.ClusterMembership;
import io.noex.distribution.ClusterStatus;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * N clustered nodes in this JVM, over real TCP on 127.0.0.1: each a new {@link Node} with its
 * {@link ClusterMembership} started on a free port; node 0 has no seeds and every later node
 * joins through node 0. Use it with try-with-resources:
 * {@snippet :
 * try (LocalCluster cluster = LocalCluster.builder().nodes(3).heartbeatInterval(Duration.ofMillis(200)).start()) {
 *     cluster.awaitFullMesh(Duration.ofSeconds(10));
 *     GenServerRef counter = cluster.node(0).start(new Counter());
 *     // ... call it from node 2, stop node 1, restart it ...
 * }
 * }
 * or as a JUnit 5 extension that closes it after each test:
 * {@snippet :
 * @RegisterExtension
 * final LocalCluster cluster = LocalCluster.builder().nodes(3).start();
 * }
 *
 * <p>With {@link Builder#behindFaultProxies()}, every node sits behind a {@link FaultProxy} of one
 * {@link FaultNetwork} ({@link #faults()}), so a test can partition, freeze and delay links
 * between nodes. How the proxy is placed today: each node listens on 127.0.0.1:P and advertises
 * 127.0.0.2:P, where its proxy listens; peers dial the NodeId, so all traffic to the node passes
 * through its proxy. This needs the whole 127.0.0.0/8 block on the loopback interface (Linux; on
 * macOS, {@code ifconfig lo0 alias 127.0.0.2} first).
 *
 * <p>Threading: thread-safe; {@link #stop}, {@link #restart} and {@link #close} block until done.
 */
public final class LocalCluster implements AutoCloseable, AfterEachCallback {

    static final String BIND_HOST = "127.0.0.1";
    /** Where proxied nodes are advertised: another loopback address, so the proxy can take the same port. */
    static final String PROXIED_HOST = "127.0.0.2";

    private final Builder settings;
    private final List<Member> members = new ArrayList<>();
    private final Optional<FaultNetwork> faults;

    /** One node and what is needed to start its cluster again with the same NodeId. */
    private static final class Member {
        final String name;
        final Node node;
        int port;

        Member(String name, Node node) {
            this.name = name;
            this.node = node;
        }
    }

    private LocalCluster(Builder settings) {
        this.settings = settings;
        this.faults = settings.proxied ? Optional.of(new FaultNetwork()) : Optional.empty();
    }

    /** @return a builder: 3 nodes named {@code node0..node2}, heartbeats 1 s x 3, no secret */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts {@code nodes} nodes with every default (see {@link #builder()}).
     *
     * @param nodes how many, at least 1
     * @return the running cluster (not yet fully meshed: see {@link #awaitFullMesh})
     */
    public static LocalCluster start(int nodes) {
        return builder().nodes(nodes).start();
    }

    private void startAll() {
        try {
            for (String name : settings.names) {
                Member m = new Member(name, Node.create(name));
                members.add(m);
                startMember(members.size() - 1);
            }
        } catch (RuntimeException e) {
            closeQuietly(e);
            throw e;
        }
    }

    private synchronized void startMember(int i) {
        Member m = members.get(i);
        ClusterConfig.Builder b = ClusterConfig.builder()
                .heartbeatInterval(settings.heartbeatInterval)
                .heartbeatMissThreshold(settings.heartbeatMissThreshold)
                .clusterSecret(settings.clusterSecret);
        settings.customizer.accept(b);
        b.nodeName(m.name).host(BIND_HOST).port(m.port);
        if (faults.isPresent()) {
            b.advertisedHost(PROXIED_HOST);
        }
        if (i > 0) {
            b.seeds(members.get(0).node.nodeId().toString());
        }
        ClusterMembership membership = ClusterMembership.of(m.node);
        membership.start(b.build());
        if (m.port == 0) {
            m.port = membership.localNodeId().port();
            if (faults.isPresent()) {
                faults.get().add(m.name, new InetSocketAddress(PROXIED_HOST, m.port), new InetSocketAddress(BIND_HOST, m.port));
            }
        }
    }

    /** @return how many nodes the cluster has (running or stopped) */
    public int size() {
        return members.size();
    }

    /**
     * @param i the node's index, from 0
     * @return node {@code i}
     */
    public Node node(int i) {
        return members.get(i).node;
    }

    /**
     * @param i the node's index, from 0
     * @return its NodeId (the same across {@link #restart})
     */
    public NodeId nodeId(int i) {
        return members.get(i).node.nodeId();
    }

    /**
     * @param i the node's index, from 0
     * @return its cluster membership
     */
    public ClusterMembership membership(int i) {
        return ClusterMembership.of(members.get(i).node);
    }

    /**
     * @return the proxies in front of the nodes, keyed by node name
     * @throws IllegalStateException unless built with {@link Builder#behindFaultProxies()}
     */
    public FaultNetwork faults() {
        return faults.orElseThrow(() -> new IllegalStateException(
                "this LocalCluster has no fault proxies; build it with behindFaultProxies()"));
    }

    /**
     * Waits until every running node is connected to every other running node.
     *
     * @param timeout how long to wait at most
     * @throws AssertionError naming the missing links if that did not happen in time
     */
    public void awaitFullMesh(Duration timeout) {
        if (!Poll.until(() -> missingLinks().isEmpty(), timeout)) {
            throw new AssertionError("no full mesh within " + timeout + "; missing links: " + missingLinks());
        }
    }

    private List<String> missingLinks() {
        List<String> missing = new ArrayList<>();
        for (Member from : members) {
            ClusterMembership m = ClusterMembership.of(from.node);
            if (m.status() != ClusterStatus.RUNNING) {
                continue;
            }
            for (Member to : members) {
                if (to != from && ClusterMembership.of(to.node).status() == ClusterStatus.RUNNING
                        && !m.isNodeConnected(to.node.nodeId())) {
                    missing.add(from.name + " -> " + to.name);
                }
            }
        }
        return missing;
    }

    /**
     * Stops node {@code i}'s cluster membership gracefully (peers see {@code GRACEFUL_SHUTDOWN});
     * its {@link Node} and local processes keep running. A no-op if it is stopped.
     *
     * @param i the node's index, from 0
     */
    public void stop(int i) {
        ClusterMembership.of(members.get(i).node).stop();
    }

    /**
     * Starts node {@code i}'s cluster membership again, stopping it first if it runs, on the same
     * port and so with the same NodeId, in a new incarnation. Node 0 starts without seeds: the
     * others keep redialing it.
     *
     * @param i the node's index, from 0
     */
    public void restart(int i) {
        stop(i);
        startMember(i);
    }

    /** Stops every node's cluster, then closes every node. Idempotent. */
    @Override
    public void close() {
        RuntimeException first = closeQuietly(null);
        if (first != null) {
            throw first;
        }
    }

    private RuntimeException closeQuietly(RuntimeException failure) {
        RuntimeException first = failure;
        for (Member m : members) {
            try {
                ClusterMembership.of(m.node).stop();
            } catch (RuntimeException e) {
                first = addTo(first, e);
            }
        }
        for (Member m : members) {
            try {
                m.node.close();
            } catch (RuntimeException e) {
                first = addTo(first, e);
            }
        }
        if (faults.isPresent()) {
            try {
                faults.get().close();
            } catch (RuntimeException e) {
                first = addTo(first, e);
            }
        }
        return first == failure ? null : first;
    }

    private static RuntimeException addTo(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    /**
     * Closes the cluster after each test, when registered with {@code @RegisterExtension}.
     *
     * @param context the test's context
     */
    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    /**
     * The settings of a {@link LocalCluster}. Validated by {@link #start()}; not thread-safe.
     */
    public static final class Builder {
        private List<String> names = List.of("node0", "node1", "node2");
        private Duration heartbeatInterval = Duration.ofSeconds(1);
        private int heartbeatMissThreshold = 3;
        private String clusterSecret;
        private boolean proxied;
        private Consumer<ClusterConfig.Builder> customizer = b -> { };

        private Builder() {
        }

        /**
         * @param count how many nodes, named {@code node0}, {@code node1}, ...; 1 to 64. Default 3.
         * @return this builder
         */
        public Builder nodes(int count) {
            if (count < 1 || count > 64) {
                throw new IllegalArgumentException("nodes: " + count + " must be from 1 to 64");
            }
            List<String> generated = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                generated.add("node" + i);
            }
            this.names = List.copyOf(generated);
            return this;
        }

        /**
         * @param names the nodes' names, one per node, unique (they must be valid NodeId names).
         *     Default {@code node0, node1, node2}.
         * @return this builder
         */
        public Builder names(String... names) {
            this.names = List.of(names);
            return this;
        }

        /**
         * @param interval every node's heartbeat interval. Default 1 s.
         * @return this builder
         */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = interval;
            return this;
        }

        /**
         * @param threshold every node's missed-heartbeat threshold. Default 3.
         * @return this builder
         */
        public Builder heartbeatMissThreshold(int threshold) {
            this.heartbeatMissThreshold = threshold;
            return this;
        }

        /**
         * @param secret the cluster secret every node uses; null for none. Default none.
         * @return this builder
         */
        public Builder clusterSecret(String secret) {
            this.clusterSecret = secret;
            return this;
        }

        /**
         * Puts every node behind a {@link FaultProxy}; see the class comment. Default: off.
         *
         * @return this builder
         */
        public Builder behindFaultProxies() {
            this.proxied = true;
            return this;
        }

        /**
         * @param customizer applied to every node's {@link ClusterConfig.Builder} after the settings
         *     above and before the cluster sets the node name, host, port, seeds and advertised host
         *     (which it owns). Default: nothing.
         * @return this builder
         */
        public Builder configure(Consumer<ClusterConfig.Builder> customizer) {
            this.customizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * Starts the nodes, in order; each later node joins through node 0.
         *
         * @return the running cluster (not yet fully meshed: see {@link LocalCluster#awaitFullMesh})
         * @throws IllegalArgumentException if the names are empty or repeat one
         * @throws io.noex.distribution.InvalidClusterConfigException if a cluster setting is invalid
         */
        public LocalCluster start() {
            if (names.isEmpty()) {
                throw new IllegalArgumentException("names: must name at least one node");
            }
            Set<String> seen = new HashSet<>();
            for (String n : names) {
                if (!seen.add(Objects.requireNonNull(n, "names: a name is null"))) {
                    throw new IllegalArgumentException("names: " + n + " is given twice; node names must be unique");
                }
            }
            Builder frozen = copy();
            LocalCluster cluster = new LocalCluster(frozen);
            cluster.startAll();
            return cluster;
        }

        private Builder copy() {
            Builder b = new Builder();
            b.names = List.copyOf(names);
            b.heartbeatInterval = heartbeatInterval;
            b.heartbeatMissThreshold = heartbeatMissThreshold;
            b.clusterSecret = clusterSecret;
            b.proxied = proxied;
            b.customizer = customizer;
            return b;
        }
    }
}
