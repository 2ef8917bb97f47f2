package io.noex.testkit;

import io.noex.Node;
import io.noex.distribution.ClusterConfig;
import io.noex.distribution.ClusterMembership;
import io.noex.distribution.NodeInfo;
import io.noex.distribution.TlsConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The main class of each node {@link JvmCluster} starts in its own JVM: a {@link Node} and its
 * cluster, driven over stdin and reporting on stdout, one line each, so a parent process can
 * follow it without parsing logs.
 *
 * <p>Arguments: {@code --name N --host H --port P} (0: a free port), and optionally
 * {@code --advertised-host H}, {@code --seeds id,id,...}, {@code --heartbeat-interval-ms},
 * {@code --heartbeat-miss-threshold}, {@code --reconnect-base-delay-ms},
 * {@code --reconnect-max-delay-ms}, {@code --down-node-retention-ms}, {@code --setup} (a
 * {@link JvmNodeSetup} class name), and for TLS all three of {@code --tls-certificate-chain},
 * {@code --tls-private-key} and {@code --tls-trusted-certificates} (PEM files). The cluster secret, if any,
 * is read from the environment variable {@code NOEX_CLUSTER_SECRET}.
 *
 * <table class="striped">
 *   <caption>Lines on stdout</caption>
 *   <thead><tr><th>line</th><th>when</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code NOEX-NODE-UP <nodeId> <incarnation>}</td><td>the cluster runs (once)</td></tr>
 *     <tr><td>{@code NOEX-NODE-FAILED <why>}</td><td>it could not start; exit code 2 for bad
 *         arguments, 1 otherwise</td></tr>
 *     <tr><td>{@code NOEX-EVENT up <nodeId> <incarnation>}</td><td>a node came up</td></tr>
 *     <tr><td>{@code NOEX-EVENT down <nodeId> <REASON>}</td><td>a node went down
 *         ({@link io.noex.distribution.NodeDownReason} name)</td></tr>
 *     <tr><td>{@code NOEX-NODES <nodeId> ...}</td><td>answer to {@code nodes}</td></tr>
 *     <tr><td>{@code NOEX-STOPPED}</td><td>after {@code stop}, before exiting with 0</td></tr>
 *     <tr><td>{@code NOEX-REPLY <answer>}</td><td>the setup's answer to {@code run}</td></tr>
 *     <tr><td>{@code NOEX-RUN-FAILED <why>}</td><td>the setup threw on {@code run}</td></tr>
 *     <tr><td>{@code NOEX-ERROR <what>}</td><td>an unknown command</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Commands on stdin, one per line: {@code stop} (graceful cluster stop, then exit 0),
 * {@code exit} (exit 0 at once; peers see the connection close), {@code nodes} (print the
 * connected nodes), {@code run <line>} (ask the {@link JvmNodeSetup}). The end of stdin means the parent is gone: the node exits at once, so a
 * crashed test JVM leaves no node behind.
 *
 * <p>Threading: {@code main} reads commands; membership events print from the cluster's event
 * thread; printing is serialised.
 */
public final class NodeMain {

    private static final Object OUT_LOCK = new Object();

    private NodeMain() {
    }

    /**
     * Starts the node and serves commands until {@code stop}, {@code exit} or the end of stdin.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) {
        ClusterConfig config;
        JvmNodeSetup setup;
        try {
            config = config(args);
            setup = setup(args);
        } catch (RuntimeException e) {
            println(NodeProtocol.NODE_FAILED + " bad arguments: " + oneLine(e));
            System.exit(2);
            return;
        }
        Node node = Node.create(config.nodeName());
        ClusterMembership cluster = ClusterMembership.of(node);
        cluster.onNodeUp(info -> println(NodeProtocol.EVENT + " up " + info.id() + " " + info.incarnation()));
        cluster.onNodeDown((id, reason) -> println(NodeProtocol.EVENT + " down " + id + " " + reason.name()));
        try {
            setup.beforeStart(node);
            cluster.start(config);
            setup.afterStart(node, cluster);
        } catch (Exception e) { // not only RuntimeException: a failed bind surfaces as java.net.BindException
            println(NodeProtocol.NODE_FAILED + " " + oneLine(e));
            System.exit(1);
            return;
        }
        long incarnation = cluster.nodes().stream().findFirst().map(NodeInfo::incarnation).orElse(0L);
        println(NodeProtocol.NODE_UP + " " + cluster.localNodeId() + " " + incarnation);
        serve(node, cluster, setup);
    }

    private static void serve(Node node, ClusterMembership cluster, JvmNodeSetup setup) {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (true) {
            String line;
            try {
                line = in.readLine();
            } catch (IOException e) {
                line = null;
            }
            if (line == null) {
                // The parent is gone (or closed our stdin): nobody can stop us later.
                Runtime.getRuntime().halt(0);
                return;
            }
            if (line.startsWith(NodeProtocol.CMD_RUN)) {
                run(node, setup, line.substring(NodeProtocol.CMD_RUN.length()));
                continue;
            }
            switch (line.trim()) {
                case NodeProtocol.CMD_STOP -> {
                    cluster.stop();
                    println(NodeProtocol.STOPPED);
                    node.close();
                    System.exit(0);
                }
                case NodeProtocol.CMD_EXIT -> Runtime.getRuntime().halt(0);
                case NodeProtocol.CMD_NODES -> println(NodeProtocol.NODES + cluster.connectedNodes().stream()
                        .map(i -> " " + i.id()).collect(Collectors.joining()));
                case "" -> { }
                default -> println(NodeProtocol.ERROR + " unknown command '" + line.trim() + "'");
            }
        }
    }

    private static void run(Node node, JvmNodeSetup setup, String command) {
        try {
            String answer = setup.command(node, command);
            println(NodeProtocol.REPLY + " " + String.valueOf(answer).replace('\n', ' ').replace('\r', ' '));
        } catch (Exception | AssertionError e) {
            println(NodeProtocol.RUN_FAILED + " " + oneLine(e));
        }
    }

    static JvmNodeSetup setup(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals(NodeProtocol.ARG_SETUP)) {
                try {
                    return Class.forName(args[i + 1]).asSubclass(JvmNodeSetup.class).getConstructor().newInstance();
                } catch (ReflectiveOperationException | ClassCastException e) {
                    throw new IllegalArgumentException("cannot create the setup " + args[i + 1]
                            + " (a public JvmNodeSetup with a public no-argument constructor): " + e, e);
                }
            }
        }
        return new JvmNodeSetup() { };
    }

    static ClusterConfig config(String[] args) {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("arguments must be --name value pairs: " + Arrays.toString(args));
        }
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        ClusterConfig.Builder b = ClusterConfig.builder();
        TlsConfig.Builder tls = TlsConfig.builder();
        boolean tlsGiven = false;
        for (Map.Entry<String, String> e : a.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case NodeProtocol.ARG_NAME -> b.nodeName(v);
                case NodeProtocol.ARG_HOST -> b.host(v);
                case NodeProtocol.ARG_ADVERTISED_HOST -> b.advertisedHost(v);
                case NodeProtocol.ARG_PORT -> b.port(Integer.parseInt(v));
                case NodeProtocol.ARG_SEEDS -> b.seeds(v.isEmpty() ? new String[0] : v.split(","));
                case NodeProtocol.ARG_HEARTBEAT_INTERVAL_MS -> b.heartbeatInterval(Duration.ofMillis(Long.parseLong(v)));
                case NodeProtocol.ARG_HEARTBEAT_MISS_THRESHOLD -> b.heartbeatMissThreshold(Integer.parseInt(v));
                case NodeProtocol.ARG_RECONNECT_BASE_DELAY_MS -> b.reconnectBaseDelay(Duration.ofMillis(Long.parseLong(v)));
                case NodeProtocol.ARG_RECONNECT_MAX_DELAY_MS -> b.reconnectMaxDelay(Duration.ofMillis(Long.parseLong(v)));
                case NodeProtocol.ARG_DOWN_NODE_RETENTION_MS -> b.downNodeRetention(Duration.ofMillis(Long.parseLong(v)));
                case NodeProtocol.ARG_SETUP -> { } // see setup(args)
                case NodeProtocol.ARG_TLS_CERTIFICATE_CHAIN -> {
                    tls.certificateChain(Path.of(v));
                    tlsGiven = true;
                }
                case NodeProtocol.ARG_TLS_PRIVATE_KEY -> {
                    tls.privateKey(Path.of(v));
                    tlsGiven = true;
                }
                case NodeProtocol.ARG_TLS_TRUSTED_CERTIFICATES -> {
                    tls.trustedCertificates(Path.of(v));
                    tlsGiven = true;
                }
                default -> throw new IllegalArgumentException("unknown argument " + e.getKey());
            }
        }
        if (tlsGiven) {
            b.tls(tls.build()); // names the missing or broken file, as NOEX-NODE-FAILED
        }
        String secret = System.getenv(NodeProtocol.ENV_SECRET);
        if (secret != null && !secret.isEmpty()) {
            b.clusterSecret(secret);
        }
        return b.build();
    }

    private static String oneLine(Throwable t) {
        return (t.getClass().getSimpleName() + ": " + t.getMessage()).replace('\n', ' ');
    }

    private static void println(String line) {
        synchronized (OUT_LOCK) {
            PrintStream out = System.out;
            out.println(line);
            out.flush();
        }
    }
}
