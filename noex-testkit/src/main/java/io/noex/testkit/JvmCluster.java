package io.noex.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Nodes in separate JVMs on this machine, over real TCP on 127.0.0.1: each a child process running
 * {@link NodeMain} with this JVM's own {@code java} binary and class path. A test drives them
 * through {@link JvmNode} handles. Register it as a JUnit 5 extension, so every JVM it started is
 * killed after each test, failed or not, and the failed test's report carries each node's output:
 * {@snippet :
 * @RegisterExtension
 * final JvmCluster cluster = JvmCluster.create();
 *
 * @Test
 * void aKilledNodeIsReportedDown() {
 *     JvmNode a = cluster.start("a");
 *     JvmNode b = cluster.start("b", JvmNodeOptions.builder().seeds(a.nodeId()).build());
 *     a.awaitEvent(NodeEvent.up(b.nodeId()), Duration.ofSeconds(10));
 *     b.kill9();
 *     a.awaitEvent(NodeEvent.down(b.nodeId(), NodeDownReason.CONNECTION_CLOSED), Duration.ofSeconds(5));
 * }
 * }
 * (try-with-resources works too). A JVM shutdown hook kills the children that are left if the test
 * JVM exits without closing the cluster, and a child whose parent vanished (its stdin ends) exits
 * by itself.
 *
 * <p>With {@link Builder#behindFaultProxies()}, every node sits behind a {@link FaultProxy} of one
 * {@link FaultNetwork} ({@link #faults()}), as with {@link LocalCluster.Builder#behindFaultProxies()}:
 * the node listens on 127.0.0.1:P and advertises 127.0.0.2:P, where its proxy listens, so every
 * connection to it passes through the proxy. This cluster picks P (unless the options name one)
 * before the JVM starts, and keeps the node's proxy across {@link #restart}, so a restarted node
 * has the same NodeId, port and proxy, and faults set on the proxy stay in force:
 * {@snippet :
 * @RegisterExtension
 * final JvmCluster cluster = JvmCluster.builder().behindFaultProxies().build();
 *
 * @Test
 * void aPartitionIsDetected() {
 *     JvmNodeOptions fast = JvmNodeOptions.builder().heartbeatInterval(Duration.ofMillis(200)).build();
 *     JvmNode a = cluster.start("a", fast);
 *     JvmNode b = cluster.start("b", fast.toBuilder().seeds(a.nodeId()).build());
 *     cluster.faults().partition(List.of("a"), List.of("b"));
 *     a.awaitEvent(NodeEvent.down(b.nodeId(), NodeDownReason.HEARTBEAT_TIMEOUT), Duration.ofSeconds(10));
 *     cluster.faults().heal();
 * }
 * }
 * This needs the whole 127.0.0.0/8 block on the loopback interface (Linux; on macOS,
 * {@code ifconfig lo0 alias 127.0.0.2} first).
 *
 * <p>Child JVMs get {@code -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData} by
 * default ({@link Builder#jvmArgs}), small and quick to start, plus
 * {@code --sun-misc-unsafe-memory-access=allow} on Java 23 and later (msgpack-core uses
 * {@code sun.misc.Unsafe}, which those versions warn about).
 *
 * <p>Threading: thread-safe. Each child's stdout and stderr are read by two daemon threads.
 */
public final class JvmCluster implements AutoCloseable, AfterEachCallback {

    /** The default JVM options of a child: modest memory, quick startup. */
    public static final List<String> DEFAULT_JVM_ARGS =
            List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData");

    /** How often a proxied start is retried when the port this cluster picked was taken meanwhile. */
    private static final int PORT_ATTEMPTS = 3;

    private final List<String> jvmArgs;
    private final Duration startTimeout;
    private final List<JvmNode> nodes = new CopyOnWriteArrayList<>();
    private final Optional<FaultNetwork> faults;

    private JvmCluster(Builder b) {
        this.jvmArgs = List.copyOf(b.jvmArgs);
        this.startTimeout = b.startTimeout;
        this.faults = b.proxied ? Optional.of(new FaultNetwork()) : Optional.empty();
    }

    /** @return a cluster with the default settings (see {@link #builder()}) */
    public static JvmCluster create() {
        return builder().build();
    }

    /** @return a builder: {@link #DEFAULT_JVM_ARGS}, 30 s for a child to come up, no fault proxies */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a node with the default options (no seeds: it forms a cluster of its own).
     *
     * @param name the node's name
     * @return the node, up
     */
    public JvmNode start(String name) {
        return start(name, JvmNodeOptions.defaults());
    }

    /**
     * Starts a node in a new JVM and waits until its cluster runs (not until it joined its seeds).
     * Behind fault proxies, the node's proxy is started first (or reused, if the node had one),
     * and the node advertises the proxy's address.
     *
     * @param name the node's name (a valid NodeId name)
     * @param options its settings
     * @return the node, up
     * @throws io.noex.distribution.InvalidClusterConfigException if the name is not valid
     * @throws IllegalArgumentException behind fault proxies: if the options name an advertised
     *     host other than the proxies' (the cluster sets it), or a port other than that of the
     *     node's existing proxy
     * @throws IllegalStateException if it does not come up in time or fails to (its output attached)
     */
    public JvmNode start(String name, JvmNodeOptions options) {
        Objects.requireNonNull(options, "options");
        options.toConfig(name); // a bad name fails here, not in the child
        if (faults.isEmpty()) {
            return launch(name, options);
        }
        return startBehindProxy(name, options, faults.get());
    }

    private JvmNode startBehindProxy(String name, JvmNodeOptions options, FaultNetwork network) {
        if (options.advertisedHost().filter(h -> !h.equals(LocalCluster.PROXIED_HOST)).isPresent()) {
            throw new IllegalArgumentException("advertisedHost: " + options.advertisedHost().get()
                    + " cannot be set behind fault proxies; the node advertises its proxy, "
                    + LocalCluster.PROXIED_HOST);
        }
        if (network.nodes().contains(name)) {
            // A restart, or a second start of a stopped node: same port, same proxy, faults kept.
            int port = network.proxy(name).port();
            if (options.port() != 0 && options.port() != port) {
                throw new IllegalArgumentException("port: " + options.port() + " differs from the port of node " + name
                        + "'s proxy, " + port + "; a node keeps its port behind its proxy");
            }
            return launch(name, proxied(options, port));
        }
        for (int attempt = 1; ; attempt++) {
            boolean picked = options.port() == 0;
            int port = picked ? freePort() : options.port();
            network.add(name, new InetSocketAddress(LocalCluster.PROXIED_HOST, port),
                    new InetSocketAddress(LocalCluster.BIND_HOST, port));
            try {
                return launch(name, proxied(options, port));
            } catch (IllegalStateException e) {
                network.remove(name);
                // The port was free when picked, but something else may have bound it since.
                if (!picked || attempt == PORT_ATTEMPTS || !String.valueOf(e.getMessage()).contains("already in use")) {
                    throw e;
                }
            }
        }
    }

    private static JvmNodeOptions proxied(JvmNodeOptions options, int port) {
        return options.toBuilder().port(port).advertisedHost(LocalCluster.PROXIED_HOST).build();
    }

    /** A port free on 127.0.0.1 now (the child binds it; the proxy takes it on 127.0.0.2). */
    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LocalCluster.BIND_HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + LocalCluster.BIND_HOST, e);
        }
    }

    private JvmNode launch(String name, JvmNodeOptions options) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(NodeMain.class.getName());
        command.addAll(options.arguments(name));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove(NodeProtocol.ENV_SECRET);
        options.clusterSecret().ifPresent(s -> pb.environment().put(NodeProtocol.ENV_SECRET, s));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a JVM for node " + name + ": " + command, e);
        }
        ChildProcesses.started(process);
        JvmNode node = new JvmNode(name, options, process);
        nodes.add(node);
        try {
            node.awaitUp(startTimeout);
        } catch (RuntimeException e) {
            node.destroy();
            throw e;
        }
        return node;
    }

    /**
     * Starts {@code node} again in a new JVM with the same name, port and options, so with the
     * same NodeId (in a new incarnation). Kills the old JVM first if it is still alive. Behind
     * fault proxies, the node keeps its proxy, with the faults set on it.
     *
     * @param node a node this cluster started
     * @return the new node, up
     */
    public JvmNode restart(JvmNode node) {
        node.destroy();
        return start(node.name(), node.options().toBuilder().port(node.nodeId().port()).build());
    }

    /**
     * @return the proxies in front of the nodes, keyed by node name
     * @throws IllegalStateException unless built with {@link Builder#behindFaultProxies()}
     */
    public FaultNetwork faults() {
        return faults.orElseThrow(() -> new IllegalStateException(
                "this JvmCluster has no fault proxies; build it with JvmCluster.builder().behindFaultProxies()"));
    }

    /** @return every node this cluster started, in order (restarted ones appear again) */
    public List<JvmNode> nodes() {
        return List.copyOf(nodes);
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Kills every JVM this cluster started that is still alive, then closes its proxies. Idempotent. */
    @Override
    public void close() {
        for (JvmNode n : nodes) {
            n.destroy();
        }
        faults.ifPresent(FaultNetwork::close);
    }

    /**
     * After each test: prints each node's output tail to stderr if the test failed, then closes
     * the cluster.
     *
     * @param context the test's context
     */
    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (context.getExecutionException().isPresent()) {
                for (JvmNode n : nodes) {
                    System.err.println(n + "\n" + n.outputTail());
                }
            }
        } finally {
            close();
        }
    }

    /** The settings of a {@link JvmCluster}. Not thread-safe. */
    public static final class Builder {
        private List<String> jvmArgs = DEFAULT_JVM_ARGS;
        private Duration startTimeout = Duration.ofSeconds(30);
        private boolean proxied;

        private Builder() {
        }

        /**
         * @param args the JVM options of every child, replacing {@link #DEFAULT_JVM_ARGS}
         * @return this builder
         */
        public Builder jvmArgs(List<String> args) {
            this.jvmArgs = List.copyOf(args);
            return this;
        }

        /**
         * @param timeout how long a child may take to report its NodeId. Default 30 s.
         * @return this builder
         */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
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
         * @return the cluster (no JVM starts until {@link JvmCluster#start})
         * @throws IllegalArgumentException if the start timeout is not positive
         */
        public JvmCluster build() {
            if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("startTimeout: " + startTimeout + " must be positive");
            }
            return new JvmCluster(this);
        }
    }
}
