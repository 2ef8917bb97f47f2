package io.noex.distribution;

import io.noex.InvalidNodeIdException;
import io.noex.NodeId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * How a node joins a cluster. Immutable; build with {@link #builder()}, which validates every
 * setting in {@link Builder#build()} and names the field, the value and the rule on failure:
 * {@snippet :
 * ClusterConfig config = ClusterConfig.builder()
 *         .nodeName("worker1")
 *         .port(4370)
 *         .seeds("seed@10.0.0.5:4369")
 *         .clusterSecret(System.getenv("NOEX_SECRET"))
 *         .build();
 * }
 *
 * <table class="striped">
 *   <caption>Settings and defaults</caption>
 *   <thead><tr><th>setting</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *     <tr><td>nodeName</td><td>(required)</td><td>the name in {@code name@host:port}</td></tr>
 *     <tr><td>host</td><td>{@code 0.0.0.0}</td><td>the address to listen on</td></tr>
 *     <tr><td>advertisedHost</td><td>the bind host; when binding to all interfaces, 127.0.0.1 if
 *         every seed is on this machine, else this machine's first non-loopback address</td>
 *         <td>the host in this node's NodeId, which peers dial</td></tr>
 *     <tr><td>port</td><td>4369</td><td>the port to listen on; 0 picks a free one</td></tr>
 *     <tr><td>advertisedPort</td><td>the bound port</td><td>the port in this node's NodeId, if peers
 *         reach it through another (a port mapping or proxy)</td></tr>
 *     <tr><td>seeds</td><td>none</td><td>nodes to join through ({@code name@host:port}); need not be up yet</td></tr>
 *     <tr><td>clusterSecret</td><td>none</td><td>shared secret: HMAC-SHA256 handshake and frame signatures</td></tr>
 *     <tr><td>heartbeatInterval</td><td>1 s</td><td>how often each peer is sent a heartbeat</td></tr>
 *     <tr><td>heartbeatMissThreshold</td><td>3</td><td>missed heartbeats before a node is down</td></tr>
 *     <tr><td>reconnectBaseDelay</td><td>1 s</td><td>first redial delay (doubles, with jitter)</td></tr>
 *     <tr><td>reconnectMaxDelay</td><td>30 s</td><td>largest redial delay</td></tr>
 *     <tr><td>downNodeRetention</td><td>60 s</td><td>how long a down or unreachable member is redialed
 *         and remembered before it is forgotten (seeds are redialed for ever)</td></tr>
 *     <tr><td>maxFrameSize</td><td>16 MiB</td><td>largest frame sent or accepted</td></tr>
 *     <tr><td>handshakeTimeout</td><td>5 s</td><td>a connection that has not completed its handshake by then is closed</td></tr>
 *     <tr><td>connectTimeout</td><td>5 s</td><td>how long one dial may take</td></tr>
 *     <tr><td>ioThreads</td><td>1</td><td>network event-loop threads</td></tr>
 *     <tr><td>outboundHighWaterMark</td><td>64 MiB</td><td>outbound bytes per peer not yet written to the
 *         socket (each message counted with a fixed overhead of 256 bytes) at which flow control sets in:
 *         a cast is refused or waits (see outboundOverflow). They exceed the mark by at most one message,
 *         replies and control traffic (heartbeats, gossip, signals) aside, which are never held back</td></tr>
 *     <tr><td>outboundOverflow</td><td>{@link OutboundOverflow#REFUSE REFUSE}</td><td>at the mark, a cast
 *         returns false at once (REFUSE) or parks its thread until there is room (BLOCK); every
 *         refusal is counted in {@link ClusterMetrics#refusedSends()}</td></tr>
 *     <tr><td>outboundBlockTimeout</td><td>5 s</td><td>with BLOCK, the longest a cast waits for room
 *         before it is refused</td></tr>
 *     <tr><td>tls</td><td>none (plaintext)</td><td>mutual TLS between nodes: certificates from PEM files or key
 *         stores, checked against trusted CAs ({@link TlsConfig}); every node of the cluster must use it, or none</td></tr>
 *     <tr><td>maxPendingHandshakes</td><td>1024</td><td>accepted connections that may be in their handshake
 *         at once; more are closed on accept (counted as {@code pending_handshake_limit})</td></tr>
 *     <tr><td>maxPendingHandshakesPerAddress</td><td>128</td><td>the same, from one IP address: a flood from
 *         one address cannot take every place</td></tr>
 *   </tbody>
 * </table>
 */
public final class ClusterConfig {

    /** The default port: 4369. */
    public static final int DEFAULT_PORT = 4369;

    private final String nodeName;
    private final String host;
    private final Optional<String> advertisedHost;
    private final int port;
    private final int advertisedPort;
    private final List<NodeId> seeds;
    private final Optional<byte[]> clusterSecret;
    private final Duration heartbeatInterval;
    private final int heartbeatMissThreshold;
    private final Duration reconnectBaseDelay;
    private final Duration reconnectMaxDelay;
    private final Duration downNodeRetention;
    private final int maxFrameSize;
    private final Duration handshakeTimeout;
    private final Duration connectTimeout;
    private final int ioThreads;
    private final long outboundHighWaterMark;
    private final OutboundOverflow outboundOverflow;
    private final Duration outboundBlockTimeout;
    private final Optional<TlsConfig> tls;
    private final int maxPendingHandshakes;
    private final int maxPendingHandshakesPerAddress;

    private ClusterConfig(Builder b, List<NodeId> seeds) {
        this.nodeName = b.nodeName;
        this.host = b.host;
        this.advertisedHost = Optional.ofNullable(b.advertisedHost);
        this.port = b.port;
        this.advertisedPort = b.advertisedPort;
        this.seeds = Collections.unmodifiableList(seeds);
        this.clusterSecret = Optional.ofNullable(b.clusterSecret).map(byte[]::clone);
        this.heartbeatInterval = b.heartbeatInterval;
        this.heartbeatMissThreshold = b.heartbeatMissThreshold;
        this.reconnectBaseDelay = b.reconnectBaseDelay;
        this.reconnectMaxDelay = b.reconnectMaxDelay;
        this.downNodeRetention = b.downNodeRetention;
        this.maxFrameSize = b.maxFrameSize;
        this.handshakeTimeout = b.handshakeTimeout;
        this.connectTimeout = b.connectTimeout;
        this.ioThreads = b.ioThreads;
        this.outboundHighWaterMark = b.outboundHighWaterMark;
        this.outboundOverflow = b.outboundOverflow;
        this.outboundBlockTimeout = b.outboundBlockTimeout;
        this.tls = Optional.ofNullable(b.tls);
        this.maxPendingHandshakes = b.maxPendingHandshakes;
        this.maxPendingHandshakesPerAddress = b.maxPendingHandshakesPerAddress;
    }

    /** @return a builder with every default */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the node's name */
    public String nodeName() {
        return nodeName;
    }

    /** @return the address to listen on */
    public String host() {
        return host;
    }

    /** @return the host peers dial, if set explicitly */
    public Optional<String> advertisedHost() {
        return advertisedHost;
    }

    /** @return the port to listen on (0: a free one) */
    public int port() {
        return port;
    }

    /** @return the port in this node's NodeId, if it differs from the bound one (0: the bound port) */
    public int advertisedPort() {
        return advertisedPort;
    }

    /** @return the seeds */
    public List<NodeId> seeds() {
        return seeds;
    }

    /** @return the cluster secret's bytes (a copy), if set */
    public Optional<byte[]> clusterSecret() {
        return clusterSecret.map(byte[]::clone);
    }

    /** @return the heartbeat interval */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** @return missed heartbeats before a node is down */
    public int heartbeatMissThreshold() {
        return heartbeatMissThreshold;
    }

    /** @return the first redial delay */
    public Duration reconnectBaseDelay() {
        return reconnectBaseDelay;
    }

    /** @return the largest redial delay */
    public Duration reconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    /** @return how long a down member is remembered and redialed */
    public Duration downNodeRetention() {
        return downNodeRetention;
    }

    /** @return the largest frame, in bytes */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /** @return the handshake timeout */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** @return the dial timeout */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return network event-loop threads */
    public int ioThreads() {
        return ioThreads;
    }

    /** @return outbound bytes per peer at which flow control sets in */
    public long outboundHighWaterMark() {
        return outboundHighWaterMark;
    }

    /** @return what a cast does at the outbound high-water mark */
    public OutboundOverflow outboundOverflow() {
        return outboundOverflow;
    }

    /** @return with {@link OutboundOverflow#BLOCK}, the longest a cast waits for room */
    public Duration outboundBlockTimeout() {
        return outboundBlockTimeout;
    }

    /** @return mutual TLS between nodes, if enabled */
    public Optional<TlsConfig> tls() {
        return tls;
    }

    /** @return accepted connections that may be in their handshake at once */
    public int maxPendingHandshakes() {
        return maxPendingHandshakes;
    }

    /** @return accepted connections from one IP address that may be in their handshake at once */
    public int maxPendingHandshakesPerAddress() {
        return maxPendingHandshakesPerAddress;
    }

    /** @return the time without a heartbeat after which a node is down */
    public Duration heartbeatTimeout() {
        return heartbeatInterval.multipliedBy(heartbeatMissThreshold);
    }

    @Override
    public String toString() {
        return "ClusterConfig[nodeName=" + nodeName + ", host=" + host + ", advertisedHost=" + advertisedHost.orElse("-")
                + ", port=" + port + ", seeds=" + seeds + ", secret=" + (clusterSecret.isPresent() ? "***" : "none")
                + ", heartbeat=" + heartbeatInterval + "x" + heartbeatMissThreshold
                + ", tls=" + tls.map(TlsConfig::toString).orElse("off") + "]";
    }

    /** Builds a {@link ClusterConfig}; not thread-safe. */
    public static final class Builder {
        private String nodeName;
        private String host = "0.0.0.0";
        private String advertisedHost;
        private int port = DEFAULT_PORT;
        private int advertisedPort;
        private List<String> seeds = new ArrayList<>();
        private byte[] clusterSecret;
        private Duration heartbeatInterval = Duration.ofSeconds(1);
        private int heartbeatMissThreshold = 3;
        private Duration reconnectBaseDelay = Duration.ofSeconds(1);
        private Duration reconnectMaxDelay = Duration.ofSeconds(30);
        private Duration downNodeRetention = Duration.ofSeconds(60);
        private int maxFrameSize = 16 * 1024 * 1024;
        private Duration handshakeTimeout = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private int ioThreads = 1;
        private long outboundHighWaterMark = 64L * 1024 * 1024;
        private OutboundOverflow outboundOverflow = OutboundOverflow.REFUSE;
        private Duration outboundBlockTimeout = Duration.ofSeconds(5);
        private TlsConfig tls;
        // The transport's own defaults are TransportConfig.DEFAULT_MAX_PENDING_HANDSHAKES*; not
        // named here, since this API type references no layer below the facade (LayeringTest).
        private int maxPendingHandshakes = 1024;
        private int maxPendingHandshakesPerAddress = 128;

        private Builder() {
        }

        /**
         * @param nodeName the node's name: a letter, then letters, digits, {@code _} or {@code -}; at most 64
         * @return this builder
         */
        public Builder nodeName(String nodeName) {
            this.nodeName = nodeName;
            return this;
        }

        /**
         * @param host the address to listen on (an IP address or host name). Default {@code 0.0.0.0}.
         * @return this builder
         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**
         * @param advertisedHost the host in this node's NodeId, which peers dial. Default: see the class table.
         * @return this builder
         */
        public Builder advertisedHost(String advertisedHost) {
            this.advertisedHost = advertisedHost;
            return this;
        }

        /**
         * @param port 0 to 65535; 0 picks a free port (reported in the NodeId). Default 4369.
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * @param advertisedPort the port in this node's NodeId, when peers reach it through a
         *     different port than the one it listens on (a port mapping, a proxy); 0 means the
         *     bound port. Default 0.
         * @return this builder
         */
        public Builder advertisedPort(int advertisedPort) {
            this.advertisedPort = advertisedPort;
            return this;
        }

        /**
         * @param seeds NodeIds ({@code name@host:port}) to join through. Default: none.
         * @return this builder
         */
        public Builder seeds(String... seeds) {
            this.seeds = new ArrayList<>(Arrays.asList(seeds));
            return this;
        }

        /**
         * @param seeds NodeIds to join through
         * @return this builder
         */
        public Builder seeds(List<String> seeds) {
            this.seeds = new ArrayList<>(seeds);
            return this;
        }

        /**
         * @param secret the shared cluster secret (UTF-8); null for none. Default: none.
         * @return this builder
         */
        public Builder clusterSecret(String secret) {
            this.clusterSecret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /**
         * @param interval how often a heartbeat goes to each peer; 10 ms to 1 minute. Default 1 s.
         * @return this builder
         */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = interval;
            return this;
        }

        /**
         * @param threshold missed heartbeats before a node is down; at least 2. Default 3.
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
         * @param delay the largest redial delay; at least the base delay. Default 30 s.
         * @return this builder
         */
        public Builder reconnectMaxDelay(Duration delay) {
            this.reconnectMaxDelay = delay;
            return this;
        }

        /**
         * @param retention how long a down or unreachable member is redialed and remembered. Default 60 s.
         * @return this builder
         */
        public Builder downNodeRetention(Duration retention) {
            this.downNodeRetention = retention;
            return this;
        }

        /**
         * @param bytes the largest frame; 1 KiB to 1 GiB. Default 16 MiB.
         * @return this builder
         */
        public Builder maxFrameSize(int bytes) {
            this.maxFrameSize = bytes;
            return this;
        }

        /**
         * @param timeout how long a new connection may take to authenticate. Default 5 s.
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * @param timeout how long one dial may take. Default 5 s.
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * @param threads network event-loop threads; 1 to 64. Default 1.
         * @return this builder
         */
        public Builder ioThreads(int threads) {
            this.ioThreads = threads;
            return this;
        }

        /**
         * @param bytes outbound bytes per peer at which casts are refused or wait; at least 64 KiB. Default 64 MiB.
         * @return this builder
         */
        public Builder outboundHighWaterMark(long bytes) {
            this.outboundHighWaterMark = bytes;
            return this;
        }

        /**
         * @param policy what a cast does at the outbound high-water mark. Default {@link OutboundOverflow#REFUSE}.
         * @return this builder
         */
        public Builder outboundOverflow(OutboundOverflow policy) {
            this.outboundOverflow = policy;
            return this;
        }

        /**
         * @param timeout with {@link OutboundOverflow#BLOCK}, the longest a cast waits for room; 1 ms to
         *     10 minutes. Default 5 s.
         * @return this builder
         */
        public Builder outboundBlockTimeout(Duration timeout) {
            this.outboundBlockTimeout = timeout;
            return this;
        }

        /**
         * @param tls mutual TLS between nodes (already read and checked by {@link TlsConfig.Builder#build()});
         *     null for plaintext. Default: plaintext.
         * @return this builder
         */
        public Builder tls(TlsConfig tls) {
            this.tls = tls;
            return this;
        }

        /**
         * @param limit accepted connections that may be in their handshake (TLS and noex) at once;
         *     1 to 1,000,000. Default 1024.
         * @return this builder
         */
        public Builder maxPendingHandshakes(int limit) {
            this.maxPendingHandshakes = limit;
            return this;
        }

        /**
         * @param limit accepted connections from one IP address that may be in their handshake at
         *     once; 1 to 1,000,000. Default 128.
         * @return this builder
         */
        public Builder maxPendingHandshakesPerAddress(int limit) {
            this.maxPendingHandshakesPerAddress = limit;
            return this;
        }

        /**
         * @return the config
         * @throws InvalidClusterConfigException naming the first setting that breaks its rule
         */
        public ClusterConfig build() {
            if (nodeName == null) {
                throw new InvalidClusterConfigException("nodeName", null, "is required");
            }
            checkNodeIdPart("nodeName", nodeName, () -> NodeId.create(nodeName, "localhost", 1));
            checkNodeIdPart("host", host, () -> NodeId.create("n", host, 1));
            if (advertisedHost != null) {
                checkNodeIdPart("advertisedHost", advertisedHost, () -> NodeId.create("n", advertisedHost, 1));
                if (advertisedHost.equals("0.0.0.0") || advertisedHost.equals("::")) {
                    throw new InvalidClusterConfigException("advertisedHost", advertisedHost,
                            "must be an address peers can dial, not a wildcard");
                }
            }
            if (port < 0 || port > 65535) {
                throw new InvalidClusterConfigException("port", port, "must be from 0 to 65535 (0 picks a free port)");
            }
            if (advertisedPort < 0 || advertisedPort > 65535) {
                throw new InvalidClusterConfigException("advertisedPort", advertisedPort,
                        "must be from 1 to 65535, or 0 for the bound port");
            }
            List<NodeId> parsed = new ArrayList<>();
            for (String s : seeds) {
                try {
                    parsed.add(NodeId.parse(s));
                } catch (InvalidNodeIdException | NullPointerException e) {
                    throw new InvalidClusterConfigException("seeds", s, "each seed must be name@host:port ("
                            + (e.getMessage() == null ? "null" : e.getMessage()) + ")");
                }
            }
            if (clusterSecret != null && clusterSecret.length == 0) {
                throw new InvalidClusterConfigException("clusterSecret", "\"\"", "must not be empty (null means no secret)");
            }
            checkDuration("heartbeatInterval", heartbeatInterval, Duration.ofMillis(10), Duration.ofMinutes(1));
            if (heartbeatMissThreshold < 2) {
                throw new InvalidClusterConfigException("heartbeatMissThreshold", heartbeatMissThreshold, "must be at least 2");
            }
            checkDuration("reconnectBaseDelay", reconnectBaseDelay, Duration.ofMillis(1), Duration.ofHours(1));
            checkDuration("reconnectMaxDelay", reconnectMaxDelay, reconnectBaseDelay, Duration.ofHours(1));
            checkDuration("downNodeRetention", downNodeRetention, Duration.ofMillis(1), Duration.ofDays(1));
            if (maxFrameSize < 1024 || maxFrameSize > (1 << 30)) {
                throw new InvalidClusterConfigException("maxFrameSize", maxFrameSize, "must be from 1024 to 1073741824 bytes");
            }
            checkDuration("handshakeTimeout", handshakeTimeout, Duration.ofMillis(10), Duration.ofMinutes(10));
            checkDuration("connectTimeout", connectTimeout, Duration.ofMillis(10), Duration.ofMinutes(10));
            if (ioThreads < 1 || ioThreads > 64) {
                throw new InvalidClusterConfigException("ioThreads", ioThreads, "must be from 1 to 64");
            }
            if (outboundHighWaterMark < 64 * 1024) {
                throw new InvalidClusterConfigException("outboundHighWaterMark", outboundHighWaterMark, "must be at least 65536 bytes");
            }
            if (outboundOverflow == null) {
                throw new InvalidClusterConfigException("outboundOverflow", null, "must be REFUSE or BLOCK");
            }
            checkDuration("outboundBlockTimeout", outboundBlockTimeout, Duration.ofMillis(1), Duration.ofMinutes(10));
            if (maxPendingHandshakes < 1 || maxPendingHandshakes > 1_000_000) {
                throw new InvalidClusterConfigException("maxPendingHandshakes", maxPendingHandshakes, "must be from 1 to 1000000");
            }
            if (maxPendingHandshakesPerAddress < 1 || maxPendingHandshakesPerAddress > 1_000_000) {
                throw new InvalidClusterConfigException("maxPendingHandshakesPerAddress", maxPendingHandshakesPerAddress,
                        "must be from 1 to 1000000");
            }
            return new ClusterConfig(this, parsed);
        }

        private static void checkNodeIdPart(String field, String value, Runnable check) {
            if (value == null) {
                throw new InvalidClusterConfigException(field, null, "must not be null");
            }
            try {
                check.run();
            } catch (InvalidNodeIdException e) {
                throw new InvalidClusterConfigException(field, value, e.rule());
            }
        }

        private static void checkDuration(String field, Duration d, Duration min, Duration max) {
            if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new InvalidClusterConfigException(field, d, "must be from " + min + " to " + max);
            }
        }
    }
}
