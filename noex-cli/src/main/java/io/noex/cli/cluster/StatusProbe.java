package io.noex.cli.cluster;

import io.noex.Node;
import io.noex.NodeId;
import io.noex.NoexException;
import io.noex.distribution.ClusterConfig;
import io.noex.distribution.ClusterObserver;
import io.noex.distribution.ClusterMembership;
import io.noex.distribution.InvalidClusterConfigException;
import io.noex.distribution.TlsConfig;
import io.noex.distribution.NodeInfo;
import io.noex.distribution.NodeSnapshot;
import io.noex.distribution.NodeStatus;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * What {@code noex status} does: joins the cluster for a moment as a probe node
 * ({@code noex-status-<random>}, on a free port), learns every member by gossip through the seed,
 * waits for a heartbeat from each (heartbeats carry the process counts and uptimes), asks every
 * member for its own figures with a {@link ClusterObserver} snapshot (processes, supervisors,
 * messages handled, heap), takes a {@link Snapshot}, and leaves gracefully. The members see the
 * probe come and go.
 *
 * <p>Waiting is bounded by the timeout. The snapshot is taken once every member the probe knows is
 * connected and has sent a heartbeat, and has stayed so for {@link #SETTLE} (a member's gossip is
 * applied just after its first heartbeat, and may name members not yet known). At the deadline
 * the probe takes whatever it has, marked incomplete, if it reached anyone; if it reached no one,
 * the seed is unreachable, or it refused the probe's secret (the probe's rejection counters say
 * which, and a refused secret ends the wait at once).
 *
 * <p>Threading: {@link #run} blocks the calling thread; one probe per call.
 */
public final class StatusProbe {

    /** How long the view must stay complete before it is taken. */
    static final Duration SETTLE = Duration.ofMillis(200);

    private static final Duration PROBE_HEARTBEAT = Duration.ofMillis(100);
    private static final int PROBE_MISS_THRESHOLD = 100;
    private static final long POLL_NANOS = Duration.ofMillis(20).toNanos();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String AUTHENTICATION_FAILED = "authentication_failed";
    /** The rejection reasons ({@code ClusterMetrics.REJECTION_REASONS}) that mean TLS failed. */
    private static final Set<String> TLS_FAILURES = Set.of("tls_failed", "untrusted_certificate");

    /**
     * What the probe saw.
     *
     * @param seed the node it joined through
     * @param probe the probe's own NodeId
     * @param members every other member it knew, sorted by NodeId
     * @param at when the snapshot was taken (the probe's wall clock)
     * @param complete whether every member was connected and had sent a heartbeat before the deadline
     * @param observed what each member answered the {@link ClusterObserver} (a member missing here
     *     was not asked: it was not connected)
     */
    public record Snapshot(NodeId seed, NodeId probe, List<NodeInfo> members, Instant at, boolean complete,
                           Map<NodeId, NodeSnapshot> observed) {

        /** Copies the map. */
        public Snapshot {
            observed = Map.copyOf(observed);
        }
    }

    private StatusProbe() {
    }

    /**
     * @param seed a member to join through
     * @param secret the cluster secret, if the cluster has one
     * @param tls the TLS settings, if the cluster speaks TLS
     * @param timeout how long to wait for the seed and the members' heartbeats
     * @param clock the wall clock that stamps the snapshot
     * @return what the probe saw
     * @throws CliFailure a usage error for a bad secret; a runtime failure if no member was reached
     *     within the timeout or the probe could not start
     */
    public static Snapshot run(NodeId seed, Optional<String> secret, Optional<TlsConfig> tls, Duration timeout,
            Clock clock) {
        String name = probeName();
        ClusterConfig.Builder b = ClusterConfig.builder().nodeName(name).host(probeHost(seed)).port(0)
                .seeds(seed.toString())
                // The probe cannot know the cluster's heartbeat settings. It sends often, so a cluster
                // with a short heartbeat timeout does not declare it down while it looks, and it
                // waits long, so it does not declare a member with a long interval down either.
                .heartbeatInterval(PROBE_HEARTBEAT).heartbeatMissThreshold(PROBE_MISS_THRESHOLD);
        secret.ifPresent(b::clusterSecret);
        tls.ifPresent(b::tls);
        ClusterConfig config;
        try {
            config = b.build();
        } catch (InvalidClusterConfigException e) {
            throw StartErrors.badOption(e);
        }
        Node node = Node.create(name);
        ClusterMembership m = ClusterMembership.of(node);
        try {
            try {
                m.start(config);
            } catch (NoexException e) {
                throw StartErrors.cannotStart(e, config.host(), config.port());
            }
            boolean complete = awaitView(m, timeout);
            List<NodeInfo> members = others(m);
            if (members.stream().noneMatch(NodeInfo::isConnected)) {
                throw unreachable(seed, secret.isPresent(), timeout, rejections(m));
            }
            Map<NodeId, NodeSnapshot> observed = new TreeMap<>();
            for (NodeSnapshot n : ClusterObserver.snapshot(node, observerTimeout(timeout)).nodes()) {
                if (!n.nodeId().equals(m.localNodeId())) {
                    observed.put(n.nodeId(), n);
                }
            }
            return new Snapshot(seed, m.localNodeId(), members, clock.instant(), complete, observed);
        } finally {
            m.stop();
            node.close();
        }
    }

    /** The observer's wait for each member's answer: the default, but never more than the user's timeout. */
    static Duration observerTimeout(Duration timeout) {
        return timeout.compareTo(ClusterObserver.DEFAULT_TIMEOUT) < 0 ? timeout : ClusterObserver.DEFAULT_TIMEOUT;
    }

    private static boolean awaitView(ClusterMembership m, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long completeSince = 0;
        boolean wasComplete = false;
        while (true) {
            List<NodeInfo> members = others(m);
            if (members.stream().noneMatch(NodeInfo::isConnected) && rejections(m).containsKey(AUTHENTICATION_FAILED)) {
                return false; // the seed answered and refused the secret: waiting longer changes nothing
            }
            boolean complete = isComplete(members);
            long now = System.nanoTime();
            if (complete && !wasComplete) {
                completeSince = now;
            }
            wasComplete = complete;
            if (complete && now - completeSince >= SETTLE.toNanos()) {
                return true;
            }
            if (now - deadline >= 0) {
                return complete;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** The reasons this probe's connections were rejected for, with their counts (none if 0). */
    private static Map<String, Long> rejections(ClusterMembership m) {
        Map<String, Long> out = new TreeMap<>();
        m.metrics().ifPresent(x -> x.rejectedConnections().forEach((k, v) -> {
            if (v > 0) {
                out.put(k, v);
            }
        }));
        return out;
    }

    /** The one line for a seed the probe could not join, as precise as the probe's counters allow. */
    static CliFailure unreachable(NodeId seed, boolean hasSecret, Duration timeout, Map<String, Long> rejected) {
        if (rejected.containsKey(AUTHENTICATION_FAILED)) {
            return CliFailure.runtime(hasSecret
                    ? "cannot join " + seed + ": it refused the cluster secret (or its cluster has none); "
                            + "pass the cluster's with --secret or NOEX_SECRET"
                    : "cannot join " + seed + ": its cluster requires a secret; pass it with --secret or NOEX_SECRET");
        }
        if (rejected.keySet().stream().anyMatch(TLS_FAILURES::contains)) {
            return CliFailure.runtime("cannot join " + seed + ": TLS failed (" + String.join(", ", rejected.keySet())
                    + "); every node of a TLS cluster needs --tls-cert, --tls-key and --tls-ca, with certificates "
                    + "signed by a CA the others trust");
        }
        if (!rejected.isEmpty()) {
            return CliFailure.runtime("cannot join " + seed + ": the connection was rejected ("
                    + String.join(", ", rejected.keySet()) + ")");
        }
        return CliFailure.runtime("cannot reach " + seed + " within " + Durations.typed(timeout)
                + ": is it running? is --secret right?");
    }

    /** Every member known is connected and has sent a heartbeat, and there is at least one. */
    static boolean isComplete(List<NodeInfo> members) {
        return !members.isEmpty() && members.stream()
                .allMatch(i -> i.status() == NodeStatus.CONNECTED && i.lastHeartbeatAt().isPresent());
    }

    private static List<NodeInfo> others(ClusterMembership m) {
        NodeId self = m.localNodeId();
        return m.nodes().stream().filter(i -> !i.id().equals(self)).sorted(Comparator.comparing(NodeInfo::id)).toList();
    }

    /** Loopback for a seed on this machine (no port opened to the network); all interfaces otherwise. */
    static String probeHost(NodeId seed) {
        String h = seed.host();
        return h.equals("localhost") || h.startsWith("127.") ? "127.0.0.1" : h.equals("::1") ? "::1" : "0.0.0.0";
    }

    private static String probeName() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder(ClusterNode.PROBE_PREFIX);
        for (int i = 0; i < 6; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
