package io.noex.bench.cluster;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.Subscription;
import io.noex.distribution.ClusterConfig;
import io.noex.distribution.ClusterMembership;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster benchmark: two JVMs on 127.0.0.1, started by one command. This JVM (the driver)
 * starts the server JVM ({@link BenchServer}) as its child with the same {@code java} and class
 * path, reads the server's NodeId from its stdout, starts its own clustered node with the server
 * as seed, waits for the connection, runs every scenario, prints the results, and kills the child
 * (in a finally block, and from a shutdown hook on Ctrl-C).
 *
 * <p>Scenarios, for each payload size (a registered record holding a {@code byte[]} of 16 bytes
 * or 1 KiB; a call is answered with the same record):
 * <ol type="a">
 *   <li>sequential call round trip from one platform thread: warm-up, then {@code --calls}
 *       measured calls, each timed with {@code System.nanoTime}; p50, p90, p99, p99.9, max, mean;</li>
 *   <li>call throughput with 64 outstanding calls ({@code callAsync} under a semaphore of 64);</li>
 *   <li>cast throughput counted at the receiver, on the receiver's clock;</li>
 *   <li>the floor: a plain blocking-socket ping-pong between the same two JVMs.</li>
 * </ol>
 * The whole set runs {@code --runs} times (default 3), interleaved (run 1 of every scenario, then
 * run 2, ...), and the table reports the median of the runs with every run's value beside it.
 *
 * <p>Run (from the repository root; about 2 minutes with the defaults):
 * <pre>
 * mvn -B -q -o -DskipTests package -pl noex-bench -am
 * noex-bench/run-cluster.sh                       # or, by hand:
 * java --sun-misc-unsafe-memory-access=allow -cp noex-bench/target/benchmarks.jar io.noex.bench.cluster.ClusterBench
 * </pre>
 * Options: {@code --runs N}, {@code --calls N} (measured sequential calls, default 20000),
 * {@code --warmup N} (sequential warm-up calls, default 20000), {@code --seconds S} (measured
 * window of the throughput scenarios, default 2), {@code --warmup-seconds S} (default 1),
 * {@code --sizes 16,1024}, {@code --window 64}, {@code --cast-batch 5000} and {@code --cast-depth 4}
 * (casts per Count call, and batches unanswered at most; see {@link Scenarios#casts}),
 * {@code --cast-flood S} (after the table: S seconds of unbounded casting, to reproduce the
 * heartbeat starvation it causes), {@code --quick} (1 run, 5000 calls, 1 s windows),
 * {@code --profile DIR} (instead of the table: where a sequential round trip spends its time, see
 * {@link Profile}).
 *
 * <p>Threading: the main thread runs everything, one scenario at a time.
 */
public final class ClusterBench {

    private ClusterBench() {
    }

    /** What to run, from the command line. */
    record Options(int runs, int calls, int warmup, Duration measure, Duration warmupTime, List<Integer> sizes,
                   int window, int castBatch, int castDepth, Duration castFlood, String profileDir) {

        static Options parse(String[] args) {
            Map<String, String> m = new TreeMap<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--quick")) {
                    m.putIfAbsent("--runs", "1");
                    m.putIfAbsent("--calls", "5000");
                    m.putIfAbsent("--warmup", "5000");
                    m.putIfAbsent("--seconds", "1");
                } else if (a.startsWith("--") && i + 1 < args.length) {
                    m.put(a, args[++i]);
                } else {
                    throw new IllegalArgumentException("unknown argument " + a + " (see ClusterBench's Javadoc)");
                }
            }
            List<Integer> sizes = new ArrayList<>();
            for (String s : m.getOrDefault("--sizes", "16,1024").split(",")) {
                sizes.add(Integer.parseInt(s.strip()));
            }
            return new Options(Integer.parseInt(m.getOrDefault("--runs", "3")),
                    Integer.parseInt(m.getOrDefault("--calls", "20000")),
                    Integer.parseInt(m.getOrDefault("--warmup", "20000")),
                    Duration.ofMillis((long) (Double.parseDouble(m.getOrDefault("--seconds", "2")) * 1000)),
                    Duration.ofMillis((long) (Double.parseDouble(m.getOrDefault("--warmup-seconds", "1")) * 1000)),
                    List.copyOf(sizes), Integer.parseInt(m.getOrDefault("--window", "64")),
                    Integer.parseInt(m.getOrDefault("--cast-batch", "5000")),
                    Integer.parseInt(m.getOrDefault("--cast-depth", "4")),
                    Duration.ofSeconds(Long.parseLong(m.getOrDefault("--cast-flood", "0"))), m.get("--profile"));
        }
    }

    /**
     * @param args see the class Javadoc
     * @throws Exception if a scenario fails (the child JVM is killed first)
     */
    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        long t0 = System.nanoTime();
        System.out.println("== cluster benchmark: two JVMs on 127.0.0.1");
        Environment.print(System.out);
        List<String> childArgs = new ArrayList<>();
        if (Runtime.version().feature() >= 23) {
            childArgs.add("--sun-misc-unsafe-memory-access=allow"); // msgpack-core's Unsafe, as for the driver
        }
        try (ChildJvm server = ChildJvm.start(BenchServer.class, childArgs)) {
            NodeId serverId = NodeId.parse(server.ready("node"));
            int socketPort = Integer.parseInt(server.ready("socket"));
            Node node = Node.create("driver");
            try {
                BenchMessages.register(node);
                ClusterMembership membership = ClusterMembership.of(node);
                // A node-down in the middle of a run fails the scenario; this line says why.
                Subscription downs = membership.onNodeDown((id, why) -> System.err.printf("[driver] %s is down: %s%n", id, why));
                membership.start(ClusterConfig.builder().nodeName("driver").host("127.0.0.1").port(0)
                        .seeds(serverId.toString()).build());
                awaitConnected(membership, serverId);
                System.out.printf("driver:  pid %d, node %s; JVM options %s%n", ProcessHandle.current().pid(),
                        node.nodeId(), ManagementFactory.getRuntimeMXBean().getInputArguments());
                System.out.printf("server:  pid %d, node %s (child JVM, same java and class path)%n",
                        server.pid(), serverId);
                Scenarios scenarios = new Scenarios(node, new GenServerRef(BenchMessages.SINK, serverId), socketPort);
                if (o.profileDir() != null) {
                    new Profile(scenarios, server, o).run();
                } else {
                    run(scenarios, o);
                }
                downs.close(); // the end of the run is not news
                membership.stop();
            } finally {
                node.close();
            }
        }
        System.out.printf("== done in %.0f s; the server JVM was stopped%n", (System.nanoTime() - t0) / 1e9);
    }

    static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    static void awaitConnected(ClusterMembership membership, NodeId server) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!membership.isNodeConnected(server)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not connected to " + server + " after 30 s");
            }
            Thread.sleep(10);
        }
    }

    private static void run(Scenarios s, Options o) throws Exception {
        System.out.printf("settings: %d runs; per run and payload size: socket ping-pong and sequential calls "
                        + "(%,d warm-up + %,d measured), %d outstanding calls and casts in batches of %,d, at most %d "
                        + "unanswered (%s warm-up + %s measured)%n",
                o.runs(), o.warmup(), o.calls(), o.window(), o.castBatch(), o.castDepth(), seconds(o.warmupTime()),
                seconds(o.measure()));
        Results results = new Results(o);
        for (int run = 1; run <= o.runs(); run++) {
            for (int size : o.sizes()) {
                String at = String.format("run %d/%d, %5s", run, o.runs(), Results.sizeName(size));
                Latencies socket = s.socketRoundTrip(size, o.warmup(), o.calls());
                System.out.printf("%s  socket ping-pong     %s%n", at, socket);
                Scenarios.RoundTrip call = s.sequentialCalls(size, o.warmup(), o.calls());
                System.out.printf("%s  sequential call      %s; frames %d B request, %d B reply%n", at,
                        call.latencies(), call.requestFrameBytes(), call.replyFrameBytes());
                double windowed = s.windowedCalls(size, o.window(), o.warmupTime(), o.measure());
                System.out.printf("%s  %d outstanding calls %,.0f calls/s%n", at, o.window(), windowed);
                Scenarios.CastRate casts = s.casts(size, o.castBatch(), o.castDepth(), o.warmupTime(), o.measure());
                System.out.printf("%s  casts                %,.0f msgs/s at the receiver (%,d accepted, %,d refused "
                        + "and retried, all handled); frame %d B%n", at, casts.perSecond(), casts.accepted(),
                        casts.refused(), casts.frameBytes());
                results.add(size, socket, call, windowed, casts);
            }
        }
        System.out.println();
        System.out.println("== results: median of " + o.runs() + " runs (each run's value in brackets)");
        Environment.printLoad(System.out);
        System.out.println();
        results.print(System.out);
        if (!o.castFlood().isZero()) {
            System.out.println();
            System.out.println("== cast flood (unbounded sender), 16 B: " + s.castFlood(16, o.castFlood()));
        }
    }
}
