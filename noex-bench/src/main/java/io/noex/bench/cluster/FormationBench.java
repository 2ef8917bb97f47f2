package io.noex.bench.cluster;

import io.noex.Node;
import io.noex.NodeId;
import io.noex.distribution.ClusterConfig;
import io.noex.distribution.ClusterMembership;
import io.noex.distribution.ClusterMetrics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cluster formation and membership cost, with N clustered nodes in this JVM over TCP on
 * 127.0.0.1, every cluster setting at its default except the address ({@code 127.0.0.1}, port 0:
 * fifty nodes cannot share the default port 4369) and, for every node but the first, the seed
 * (node 0). Two scenarios:
 * <ol type="a">
 *   <li><b>convergence</b>: the clock starts when node 0's cluster starts; the other nodes are
 *       started one after another at once (each start returns when its port accepts, without
 *       waiting for its seed); the clock stops when the last node has seen every other node up
 *       (its {@code onNodeUp} listener has counted N-1 distinct peers). The nodes themselves
 *       ({@code Node.create}) are created before the clock starts. Each run uses fresh nodes and
 *       stops them all afterwards; {@code --runs} runs per size, median reported.</li>
 *   <li><b>steady-state cost</b>: after a full mesh and {@code --settle} seconds, every node's
 *       {@link ClusterMetrics} is read, then again {@code --window} seconds later with no user
 *       traffic; the difference is heartbeat and gossip traffic only (payload bytes: the 4-byte
 *       length prefix of each frame, and TCP/IP headers, are not counted). Reported per node per
 *       second: bytes out, bytes in, frames out (mean, min, max over the nodes).</li>
 * </ol>
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -B -q -o -DskipTests package -pl noex-bench -am
 * java --sun-misc-unsafe-memory-access=allow -cp noex-bench/target/benchmarks.jar io.noex.bench.cluster.FormationBench
 * </pre>
 * Options: {@code --sizes 10,25,50} (convergence sizes), {@code --runs 5}, {@code --cost-sizes 10,50},
 * {@code --settle 5}, {@code --window 20} (seconds), {@code --timeout 60} (seconds a convergence
 * may take before the run counts as failed).
 *
 * <p>Threading: the main thread runs everything; membership listeners count on the nodes' event
 * threads.
 */
public final class FormationBench {

    private FormationBench() {
    }

    /** What to run, from the command line. */
    record Options(List<Integer> sizes, int runs, List<Integer> costSizes, Duration settle, Duration window,
                   Duration timeout) {

        static Options parse(String[] args) {
            Map<String, String> m = new TreeMap<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].startsWith("--") && i + 1 < args.length) {
                    m.put(args[i], args[++i]);
                } else {
                    throw new IllegalArgumentException("unknown argument " + args[i] + " (see FormationBench's Javadoc)");
                }
            }
            return new Options(ints(m.getOrDefault("--sizes", "10,25,50")),
                    Integer.parseInt(m.getOrDefault("--runs", "5")),
                    ints(m.getOrDefault("--cost-sizes", "10,50")),
                    Duration.ofSeconds(Long.parseLong(m.getOrDefault("--settle", "5"))),
                    Duration.ofSeconds(Long.parseLong(m.getOrDefault("--window", "20"))),
                    Duration.ofSeconds(Long.parseLong(m.getOrDefault("--timeout", "60"))));
        }

        private static List<Integer> ints(String csv) {
            return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
        }
    }

    /**
     * N running nodes and when each had seen every other one up.
     */
    private static final class Mesh implements AutoCloseable {
        final List<Node> nodes = new ArrayList<>();
        final List<ClusterMembership> memberships = new ArrayList<>();
        final CountDownLatch meshed;
        final AtomicLong lastMeshedNanos = new AtomicLong();
        final int size;

        Mesh(int size, String prefix) {
            this.size = size;
            this.meshed = new CountDownLatch(size);
            for (int i = 0; i < size; i++) {
                Node n = Node.create(prefix + i);
                nodes.add(n);
                ClusterMembership m = ClusterMembership.of(n);
                memberships.add(m);
                Set<NodeId> seen = ConcurrentHashMap.newKeySet();
                m.onNodeUp(info -> {
                    if (seen.add(info.id()) && seen.size() == size - 1) {
                        lastMeshedNanos.accumulateAndGet(System.nanoTime(), Math::max);
                        meshed.countDown();
                    }
                });
            }
        }

        /** @return when node 0's start began */
        long start() {
            long t0 = System.nanoTime();
            memberships.get(0).start(config(0).build());
            String seed = memberships.get(0).localNodeId().toString();
            for (int i = 1; i < size; i++) {
                memberships.get(i).start(config(i).seeds(seed).build());
            }
            return t0;
        }

        private ClusterConfig.Builder config(int i) {
            return ClusterConfig.builder().nodeName(nodes.get(i).name()).host("127.0.0.1").port(0);
        }

        boolean await(Duration timeout) throws InterruptedException {
            return meshed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** @return how many nodes see fewer than N-1 peers connected now (for a failed run) */
        int incomplete() {
            int n = 0;
            for (ClusterMembership m : memberships) {
                if (m.connectedNodes().size() < size - 1) {
                    n++;
                }
            }
            return n;
        }

        @Override
        public void close() {
            for (ClusterMembership m : memberships) {
                m.stop();
            }
            for (Node n : nodes) {
                n.close();
            }
        }
    }

    /**
     * @param args see the class comment
     * @throws Exception if a node cannot start
     */
    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        PrintStream out = System.out;
        out.println("== cluster formation and membership cost (N nodes in one JVM, default settings, 127.0.0.1)");
        Environment.print(out);
        out.println();

        Map<Integer, List<Double>> convergence = new TreeMap<>();
        int runId = 0;
        for (int run = 1; run <= o.runs(); run++) {
            for (int size : o.sizes()) {
                double ms = converge(size, "r" + (runId++) + "n", o.timeout());
                convergence.computeIfAbsent(size, k -> new ArrayList<>()).add(ms);
                out.printf(Locale.ROOT, "NOEX-MEASURE convergence: %d nodes, run %d: %s%n", size, run,
                        Double.isNaN(ms) ? "FAILED (timeout)" : String.format(Locale.ROOT, "%.0f ms", ms));
                Environment.printLoad(out);
            }
        }
        out.println();
        for (int size : o.costSizes()) {
            cost(size, "c" + size + "n", o, out);
        }

        out.println();
        out.println("| nodes | median to full mesh | runs (ms) |");
        out.println("|---|---|---|");
        convergence.forEach((size, runs) -> out.printf(Locale.ROOT, "| %d | %.0f ms | %s |%n", size, median(runs),
                String.join(", ", runs.stream().map(v -> Double.isNaN(v) ? "failed" : String.format(Locale.ROOT, "%.0f", v)).toList())));
        Environment.printLoad(out);
    }

    /** @return milliseconds from the first start to the full mesh, or NaN if it did not form in time */
    private static double converge(int size, String prefix, Duration timeout) throws InterruptedException {
        try (Mesh mesh = new Mesh(size, prefix)) {
            long t0 = mesh.start();
            long startedAll = System.nanoTime();
            if (!mesh.await(timeout)) {
                System.out.printf("convergence of %d nodes did not complete in %s: %d nodes incomplete%n",
                        size, timeout, mesh.incomplete());
                return Double.NaN;
            }
            System.out.printf(Locale.ROOT, "  (%d starts took %.0f ms)%n", size, (startedAll - t0) / 1e6);
            return (mesh.lastMeshedNanos.get() - t0) / 1e6;
        }
    }

    private static void cost(int size, String prefix, Options o, PrintStream out) throws InterruptedException {
        try (Mesh mesh = new Mesh(size, prefix)) {
            mesh.start();
            if (!mesh.await(o.timeout())) {
                out.printf("cost at %d nodes: no full mesh within %s; skipped%n", size, o.timeout());
                return;
            }
            Thread.sleep(o.settle().toMillis()); // a fixed window is what is measured here, not a wait for a condition
            List<ClusterMetrics> before = snapshot(mesh);
            long t0 = System.nanoTime();
            Thread.sleep(o.window().toMillis());
            List<ClusterMetrics> after = snapshot(mesh);
            double seconds = (System.nanoTime() - t0) / 1e9;
            int stillMeshed = size - mesh.incomplete();
            double[] bytesOut = new double[size];
            double[] bytesIn = new double[size];
            double[] framesOut = new double[size];
            for (int i = 0; i < size; i++) {
                bytesOut[i] = (after.get(i).bytesOut() - before.get(i).bytesOut()) / seconds;
                bytesIn[i] = (after.get(i).bytesIn() - before.get(i).bytesIn()) / seconds;
                framesOut[i] = (after.get(i).framesOut() - before.get(i).framesOut()) / seconds;
            }
            out.printf(Locale.ROOT, "NOEX-MEASURE steady state, %d nodes (%d fully meshed at the end), window %.1f s: "
                            + "bytes out/s per node mean %.0f (min %.0f, max %.0f); bytes in/s mean %.0f (min %.0f, max %.0f); "
                            + "frames out/s mean %.1f (min %.1f, max %.1f); per node per peer %.1f B/s out%n",
                    size, stillMeshed, seconds, mean(bytesOut), min(bytesOut), max(bytesOut), mean(bytesIn), min(bytesIn),
                    max(bytesIn), mean(framesOut), min(framesOut), max(framesOut), mean(bytesOut) / (size - 1));
            Environment.printLoad(out);
        }
    }

    private static List<ClusterMetrics> snapshot(Mesh mesh) {
        List<ClusterMetrics> out = new ArrayList<>();
        for (ClusterMembership m : mesh.memberships) {
            out.add(m.metrics().orElseThrow());
        }
        return out;
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).map(d -> Double.isNaN(d) ? Double.MAX_VALUE : d)
                .sorted().toArray();
        double m = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return m == Double.MAX_VALUE ? Double.NaN : m;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
