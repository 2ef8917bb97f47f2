package io.noex.testkit;

import io.noex.NodeId;
import io.noex.distribution.ClusterConfig;
import io.noex.distribution.TlsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link JvmCluster#start(String, JvmNodeOptions)} starts one node in its own JVM: the
 * cluster settings its {@link NodeMain} passes to {@link ClusterConfig}. The node always listens
 * on 127.0.0.1. Immutable; build with {@link #builder()}, change a copy with {@link #toBuilder()}:
 * {@snippet :
 * JvmNodeOptions fast = JvmNodeOptions.builder().heartbeatInterval(Duration.ofMillis(200)).build();
 * JvmNode a = cluster.start("a", fast);
 * JvmNode b = cluster.start("b", fast.toBuilder().seeds(a.nodeId()).build());
 * }
 *
 * <table class="striped">
 *   <caption>Settings and defaults</caption>
 *   <thead><tr><th>setting</th><th>default</th></tr></thead>
 *   <tbody>
 *     <tr><td>port</td><td>0 (a free port)</td></tr>
 *     <tr><td>advertisedHost</td><td>127.0.0.1</td></tr>
 *     <tr><td>seeds</td><td>none</td></tr>
 *     <tr><td>clusterSecret</td><td>none</td></tr>
 *     <tr><td>heartbeatInterval, heartbeatMissThreshold</td><td>1 s, 3</td></tr>
 *     <tr><td>reconnectBaseDelay, reconnectMaxDelay</td><td>1 s, 30 s</td></tr>
 *     <tr><td>downNodeRetention</td><td>60 s</td></tr>
 *     <tr><td>setup</td><td>none ({@link JvmNodeSetup})</td></tr>
 *     <tr><td>tls</td><td>none (plaintext): PEM certificate chain, unencrypted private key and trusted
 *         CAs, passed to {@link TlsConfig}</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Threading: immutable; thread-safe. The builder is not.
 */
public final class JvmNodeOptions {

    private final int port;
    private final Optional<String> advertisedHost;
    private final List<NodeId> seeds;
    private final Optional<String> clusterSecret;
    private final Duration heartbeatInterval;
    private final int heartbeatMissThreshold;
    private final Duration reconnectBaseDelay;
    private final Duration reconnectMaxDelay;
    private final Duration downNodeRetention;
    private final Optional<Class<? extends JvmNodeSetup>> setup;
    private final Optional<TlsFiles> tls;

    /** The PEM files of a node's TLS settings. */
    private record TlsFiles(Path certificateChain, Path privateKey, Path trustedCertificates) {
    }

    private JvmNodeOptions(Builder b) {
        this.port = b.port;
        this.advertisedHost = Optional.ofNullable(b.advertisedHost);
        this.seeds = List.copyOf(b.seeds);
        this.clusterSecret = Optional.ofNullable(b.clusterSecret);
        this.heartbeatInterval = b.heartbeatInterval;
        this.heartbeatMissThreshold = b.heartbeatMissThreshold;
        this.reconnectBaseDelay = b.reconnectBaseDelay;
        this.reconnectMaxDelay = b.reconnectMaxDelay;
        this.downNodeRetention = b.downNodeRetention;
        this.setup = Optional.ofNullable(b.setup);
        this.tls = Optional.ofNullable(b.tls);
    }

    /** @return the options with every default */
    public static JvmNodeOptions defaults() {
        return builder().build();
    }

    /** @return a builder with every default */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.port = port;
        b.advertisedHost = advertisedHost.orElse(null);
        b.seeds = new ArrayList<>(seeds);
        b.clusterSecret = clusterSecret.orElse(null);
        b.heartbeatInterval = heartbeatInterval;
        b.heartbeatMissThreshold = heartbeatMissThreshold;
        b.reconnectBaseDelay = reconnectBaseDelay;
        b.reconnectMaxDelay = reconnectMaxDelay;
        b.downNodeRetention = downNodeRetention;
        b.setup = setup.orElse(null);
        b.tls = tls.orElse(null);
        return b;
    }

    /** @return the port to listen on (0: a free one) */
    public int port() {
        return port;
    }

    /** @return the host the node puts in its NodeId, if set (else its bind address, 127.0.0.1) */
    public Optional<String> advertisedHost() {
        return advertisedHost;
    }

    /** @return the seeds */
    public List<NodeId> seeds() {
        return seeds;
    }

    /** @return the heartbeat interval */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** @return missed heartbeats before a node is down */
    public int heartbeatMissThreshold() {
        return heartbeatMissThreshold;
    }

    /** @return the code the child runs, if any */
    public Optional<Class<? extends JvmNodeSetup>> setup() {
        return setup;
    }

    /** @return the cluster secret, if any */
    Optional<String> clusterSecret() {
        return clusterSecret;
    }

    /** The {@link ClusterConfig} a node with these options uses; validates everything. */
    ClusterConfig toConfig(String name) {
        ClusterConfig.Builder b = ClusterConfig.builder()
                .nodeName(name)
                .host(LocalCluster.BIND_HOST)
                .port(port)
                .seeds(seeds.stream().map(NodeId::toString).toList())
                .clusterSecret(clusterSecret.orElse(null))
                .heartbeatInterval(heartbeatInterval)
                .heartbeatMissThreshold(heartbeatMissThreshold)
                .reconnectBaseDelay(reconnectBaseDelay)
                .reconnectMaxDelay(reconnectMaxDelay)
                .downNodeRetention(downNodeRetention);
        advertisedHost.ifPresent(b::advertisedHost);
        tls.ifPresent(t -> b.tls(TlsConfig.builder().certificateChain(t.certificateChain()).privateKey(t.privateKey())
                .trustedCertificates(t.trustedCertificates()).build()));
        return b.build();
    }

    /** @return {@link NodeMain}'s arguments for a node named {@code name} (the secret excepted) */
    List<String> arguments(String name) {
        List<String> args = new ArrayList<>(List.of(
                NodeProtocol.ARG_NAME, name,
                NodeProtocol.ARG_HOST, LocalCluster.BIND_HOST,
                NodeProtocol.ARG_PORT, Integer.toString(port),
                NodeProtocol.ARG_HEARTBEAT_INTERVAL_MS, Long.toString(heartbeatInterval.toMillis()),
                NodeProtocol.ARG_HEARTBEAT_MISS_THRESHOLD, Integer.toString(heartbeatMissThreshold),
                NodeProtocol.ARG_RECONNECT_BASE_DELAY_MS, Long.toString(reconnectBaseDelay.toMillis()),
                NodeProtocol.ARG_RECONNECT_MAX_DELAY_MS, Long.toString(reconnectMaxDelay.toMillis()),
                NodeProtocol.ARG_DOWN_NODE_RETENTION_MS, Long.toString(downNodeRetention.toMillis())));
        advertisedHost.ifPresent(h -> args.addAll(List.of(NodeProtocol.ARG_ADVERTISED_HOST, h)));
        setup.ifPresent(c -> args.addAll(List.of(NodeProtocol.ARG_SETUP, c.getName())));
        tls.ifPresent(t -> args.addAll(List.of(
                NodeProtocol.ARG_TLS_CERTIFICATE_CHAIN, t.certificateChain().toString(),
                NodeProtocol.ARG_TLS_PRIVATE_KEY, t.privateKey().toString(),
                NodeProtocol.ARG_TLS_TRUSTED_CERTIFICATES, t.trustedCertificates().toString())));
        if (!seeds.isEmpty()) {
            args.add(NodeProtocol.ARG_SEEDS);
            args.add(String.join(",", seeds.stream().map(NodeId::toString).toList()));
        }
        return args;
    }

    @Override
    public String toString() {
        return "JvmNodeOptions[port=" + port + ", seeds=" + seeds + ", secret=" + (clusterSecret.isPresent() ? "***" : "none")
                + ", heartbeat=" + heartbeatInterval + "x" + heartbeatMissThreshold + ", tls=" + (tls.isPresent() ? "on" : "off") + "]";
    }

    /** Builds {@link JvmNodeOptions}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private int port;
        private String advertisedHost;
        private List<NodeId> seeds = new ArrayList<>();
        private String clusterSecret;
        private Duration heartbeatInterval = Duration.ofSeconds(1);
        private int heartbeatMissThreshold = 3;
        private Duration reconnectBaseDelay = Duration.ofSeconds(1);
        private Duration reconnectMaxDelay = Duration.ofSeconds(30);
        private Duration downNodeRetention = Duration.ofSeconds(60);
        private Class<? extends JvmNodeSetup> setup;
        private TlsFiles tls;

        private Builder() {
        }

        /**
         * @param port 0 to 65535; 0 picks a free port. Default 0.
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * @param host the host in the node's NodeId (for example where a proxy listens). Default 127.0.0.1.
         * @return this builder
         */
        public Builder advertisedHost(String host) {
            this.advertisedHost = host;
            return this;
        }

        /**
         * @param seeds nodes to join through; they need not be up yet. Default none.
         * @return this builder
         */
        public Builder seeds(NodeId... seeds) {
            this.seeds = new ArrayList<>(Arrays.asList(seeds));
            return this;
        }

        /**
         * @param secret the cluster secret; null for none. Default none.
         * @return this builder
         */
        public Builder clusterSecret(String secret) {
            this.clusterSecret = secret;
            return this;
        }

        /**
         * @param interval the heartbeat interval. Default 1 s.
         * @return this builder
         */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = interval;
            return this;
        }

        /**
         * @param threshold missed heartbeats before a node is down. Default 3.
         * @return this builder
         */
        public Builder heartbeatMissThreshold(int threshold) {
            this.heartbeatMissThreshold = threshold;
            return this;
        }

        /**
         * @param delay the first redial delay. Default 1 s.
         * @return this builder
         */
        public Builder reconnectBaseDelay(Duration delay) {
            this.reconnectBaseDelay = delay;
            return this;
        }

        /**
         * @param delay the largest redial delay. Default 30 s.
         * @return this builder
         */
        public Builder reconnectMaxDelay(Duration delay) {
            this.reconnectMaxDelay = delay;
            return this;
        }

        /**
         * @param retention how long a down member is redialed and remembered. Default 60 s.
         * @return this builder
         */
        public Builder downNodeRetention(Duration retention) {
            this.downNodeRetention = retention;
            return this;
        }

        /**
         * Mutual TLS from PEM files (checked by {@link #build()}, as {@link TlsConfig} does).
         *
         * @param certificateChain the node's certificate, then any intermediates
         * @param privateKey the node's unencrypted PKCS#8 private key
         * @param trustedCertificates the CA certificates peers must be signed by
         * @return this builder
         */
        public Builder tls(Path certificateChain, Path privateKey, Path trustedCertificates) {
            this.tls = new TlsFiles(certificateChain.toAbsolutePath(), privateKey.toAbsolutePath(),
                    trustedCertificates.toAbsolutePath());
            return this;
        }

        /**
         * @param setup code the child runs (a public class with a public no-argument constructor,
         *     on the test's class path); null for none. Default none.
         * @return this builder
         */
        public Builder setup(Class<? extends JvmNodeSetup> setup) {
            this.setup = setup;
            return this;
        }

        /**
         * @return the options
         * @throws io.noex.distribution.InvalidClusterConfigException naming the first setting that
         *     breaks {@link ClusterConfig}'s rules (checked here, before any JVM starts)
         */
        public JvmNodeOptions build() {
            seeds.forEach(s -> Objects.requireNonNull(s, "seeds: a seed is null"));
            if (setup != null) {
            try {
                setup.getConstructor();
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("setup " + setup.getName() + " needs a public no-argument constructor", e);
            }
            if (!java.lang.reflect.Modifier.isPublic(setup.getModifiers())) {
                throw new IllegalArgumentException("setup " + setup.getName() + " must be a public class");
            }
        }
        JvmNodeOptions options = new JvmNodeOptions(this);
            options.toConfig("n");
            return options;
        }
    }
}
