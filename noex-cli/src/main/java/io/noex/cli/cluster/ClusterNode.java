package io.noex.cli.cluster;

import io.noex.Node;
import io.noex.NodeId;
import io.noex.NoexException;
import io.noex.distribution.ClusterConfig;
import io.noex.distribution.ClusterMembership;
import io.noex.distribution.InvalidClusterConfigException;
import io.noex.distribution.NodeDownReason;
import io.noex.distribution.NodeInfo;
import io.noex.distribution.TlsConfig;
import io.noex.examples.ExampleBehaviors;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The node {@code noex node} runs: a {@link Node} that hosts the example behaviors (registered
 * for remote spawn, and one {@code counter} and one {@code echo} server under those local names),
 * joined to a cluster, printing a line when it is up and one per node that comes up or goes down,
 * as it happens. {@link #close()} leaves the cluster gracefully, so peers report
 * {@code graceful_shutdown}.
 *
 * <p>Threading: {@link #start} and {@link #close} may be called from any thread (close from a
 * shutdown hook); event lines are printed from the cluster's event thread, one whole line at a time.
 */
public final class ClusterNode implements AutoCloseable {

    /** Names of status probes start with this, so a node can say what a probe's arrival is. */
    public static final String PROBE_PREFIX = "noex-status-";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);

    private final Node node;
    private final ClusterMembership membership;
    private final PrintWriter out;
    private final Clock clock;
    private volatile boolean closed;

    private ClusterNode(Node node, PrintWriter out, Clock clock) {
        this.node = node;
        this.membership = ClusterMembership.of(node);
        this.out = out;
        this.clock = clock;
    }

    /**
     * Checks the settings, then builds them. Separate from {@link #start} so that a bad option is
     * reported before anything starts.
     *
     * @param builder the settings
     * @return the config
     * @throws CliFailure a usage error naming the option, if a setting breaks its rule
     */
    public static ClusterConfig config(ClusterConfig.Builder builder) {
        try {
            return builder.build();
        } catch (InvalidClusterConfigException e) {
            throw StartErrors.badOption(e);
        }
    }

    /**
     * Reads and checks the TLS files, reporting a bad one as {@link #config} reports a bad setting.
     *
     * @param builder the TLS settings
     * @return the TLS config
     * @throws CliFailure a usage error naming the option and the file
     */
    public static TlsConfig tls(TlsConfig.Builder builder) {
        try {
            return builder.build();
        } catch (InvalidClusterConfigException e) {
            throw StartErrors.badOption(e);
        }
    }

    /**
     * Starts the node and joins the cluster, then prints who it is and how to join it.
     *
     * @param config the cluster settings
     * @param out where the node's lines go
     * @param clock the clock for event timestamps
     * @return the running node
     * @throws CliFailure a runtime failure if the port cannot be bound or the cluster cannot start
     */
    public static ClusterNode start(ClusterConfig config, PrintWriter out, Clock clock) {
        Node node = Node.create(config.nodeName());
        ClusterNode running = new ClusterNode(node, out, clock);
        try {
            ExampleBehaviors.registerAll(node);
            ExampleBehaviors.startServers(node);
            running.membership.onNodeUp(running::printUp);
            running.membership.onNodeDown(running::printDown);
            running.membership.start(config);
        } catch (NoexException e) {
            node.close();
            throw e instanceof InvalidClusterConfigException bad
                    ? StartErrors.badOption(bad)
                    : StartErrors.cannotStart(e, config.host(), config.port());
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        running.printWelcome(config);
        return running;
    }

    /** @return this node's NodeId */
    public NodeId id() {
        return membership.localNodeId();
    }

    /** Leaves the cluster gracefully and closes the node; prints a line before and after. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        NodeId id = id();
        line(now() + "  leaving the cluster (peers see graceful_shutdown)");
        try {
            membership.stop();
        } finally {
            node.close();
        }
        line(now() + "  " + id + " stopped");
    }

    private void printWelcome(ClusterConfig config) {
        NodeId id = id();
        String secret = config.clusterSecret().isPresent() ? " --secret ..." : "";
        line("noex node " + id + " is up (pid " + ProcessHandle.current().pid() + "), hosting "
                + listed(ExampleBehaviors.names()));
        if (!config.seeds().isEmpty()) {
            line("  joining through " + config.seeds().stream().map(NodeId::toString).reduce((a, b) -> a + ", " + b).orElseThrow()
                    + " (retried until reached)");
        }
        line("  join it:    bin/noex node --name " + suggestName(id.name()) + " --port " + (config.port() == 0 ? 0 : suggestPort(id.port()))
                + " --seeds " + id + secret);
        line("  inspect it: bin/noex status --seed " + id + secret);
        line("  stop it:    Ctrl-C (leaves the cluster gracefully)");
        line(now() + "  waiting for nodes; events follow");
    }

    private void printUp(NodeInfo info) {
        if (closed) {
            return;
        }
        line(now() + "  node up    " + info.id() + probeNote(info.id()));
    }

    private void printDown(NodeId id, NodeDownReason reason) {
        if (closed) {
            return; // leaving closes every connection; the peers did not go down, this node did
        }
        line(now() + "  node down  " + id + " (" + reason.name().toLowerCase(Locale.ROOT) + ")" + probeNote(id));
    }

    /** @return {@code a, b and c} */
    static String listed(List<String> names) {
        if (names.size() < 2) {
            return String.join("", names);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    private static String probeNote(NodeId id) {
        return id.name().startsWith(PROBE_PREFIX) ? "  [a noex status probe]" : "";
    }

    private String now() {
        return LocalTime.now(clock).format(TIME);
    }

    private void line(String text) {
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }

    /** The next letter for a one-letter name ({@code a} → {@code b}); otherwise the name and a 2. */
    static String suggestName(String name) {
        if (name.length() == 1 && Character.isLetter(name.charAt(0)) && name.charAt(0) != 'z' && name.charAt(0) != 'Z') {
            return String.valueOf((char) (name.charAt(0) + 1));
        }
        return name + "2";
    }

    private static int suggestPort(int port) {
        return port < 65535 ? port + 1 : 0;
    }
}
