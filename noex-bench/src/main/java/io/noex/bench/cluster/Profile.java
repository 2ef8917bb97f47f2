package io.noex.bench.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The profile mode ({@code --profile DIR}): where a sequential round trip spends its time. For
 * each payload size, with both JVMs warmed up:
 * <ol>
 *   <li>the socket ping-pong and the noex call, each with Linux's per-thread accounting of both
 *       JVMs around it ({@link ThreadStats}): CPU, run-queue wait and context switches per round
 *       trip, by thread group;</li>
 *   <li>the same noex call from a virtual thread, which parks at once instead of spinning 50 us
 *       (the one change a caller can make without touching the library);</li>
 *   <li>a JFR recording of each JVM during the noex calls ({@code DIR/driver-SIZE.jfr},
 *       {@code DIR/server-SIZE.jfr}): read with {@code jfr view hot-methods FILE};</li>
 *   <li>the same per-thread accounting per operation for the throughput scenarios (64
 *       outstanding calls, casts): with both JVMs on the same cores, CPU per operation bounds
 *       the rate; and JFR recordings of the casts ({@code DIR/driver-SIZE-casts.jfr},
 *       {@code DIR/server-SIZE-casts.jfr}).</li>
 * </ol>
 * A row's "op" is one round trip, one completed call, or one cast. JFR's samples of a thread in
 * Java code include time it sat preempted in the run queue; the {@code /proc} figures separate
 * the two.
 *
 * <p>Threading: the driver's main thread, and one virtual thread for the virtual-caller run.
 */
final class Profile {

    private final Scenarios scenarios;
    private final ChildJvm server;
    private final ClusterBench.Options options;

    Profile(Scenarios scenarios, ChildJvm server, ClusterBench.Options options) {
        this.scenarios = scenarios;
        this.server = server;
        this.options = options;
    }

    void run() throws Exception {
        Path dir = Path.of(options.profileDir()).toAbsolutePath();
        Files.createDirectories(dir);
        long self = ProcessHandle.current().pid();
        int calls = options.calls();
        for (int size : options.sizes()) {
            String name = Results.sizeName(size);
            System.out.printf("%n== profile, %s payload: %,d round trips each, after %,d warm-up%n", name, calls, options.warmup());
            scenarios.socketRoundTrip(size, options.warmup(), 1);
            scenarios.sequentialCalls(size, options.warmup(), 1);
            List<String> rows = new ArrayList<>();

            AtomicReference<ThreadStats[]> at = new AtomicReference<>();
            Latencies socket = scenarios.socketRoundTrip(size, 1_000, calls,
                    () -> at.set(new ThreadStats[] {ThreadStats.snapshot(self), ThreadStats.snapshot(server.pid())}),
                    () -> {
                        rows.addAll(ThreadStats.snapshot(self).perOp(at.get()[0], calls, "socket, driver"));
                        rows.addAll(ThreadStats.snapshot(server.pid()).perOp(at.get()[1], calls, "socket, server"));
                    });

            ThreadStats d0;
            ThreadStats s0;

            Jfr jfr = new Jfr();
            String tag = size + "B";
            jfr.start(dir.resolve("driver-" + tag + ".jfr"));
            server.command("jfr-start " + dir.resolve("server-" + tag + ".jfr"));
            d0 = ThreadStats.snapshot(self);
            s0 = ThreadStats.snapshot(server.pid());
            Scenarios.RoundTrip call = scenarios.sequentialCalls(size, 0, calls);
            rows.addAll(ThreadStats.snapshot(self).perOp(d0, calls, "noex call, driver"));
            rows.addAll(ThreadStats.snapshot(server.pid()).perOp(s0, calls, "noex call, server"));
            server.command("jfr-stop");
            jfr.stop();

            d0 = ThreadStats.snapshot(self);
            s0 = ThreadStats.snapshot(server.pid());
            Scenarios.RoundTrip virtual = fromVirtualThread(size, calls);
            rows.addAll(ThreadStats.snapshot(self).perOp(d0, calls, "virtual caller, driver"));
            rows.addAll(ThreadStats.snapshot(server.pid()).perOp(s0, calls, "virtual caller, server"));

            // Throughput: CPU per operation bounds the rate (two JVMs on the same cores).
            d0 = ThreadStats.snapshot(self);
            s0 = ThreadStats.snapshot(server.pid());
            long w0 = System.nanoTime();
            double windowed = scenarios.windowedCalls(size, options.window(), Duration.ZERO, options.measure());
            long windowedOps = Math.round(windowed * (System.nanoTime() - w0) / 1e9);
            rows.addAll(ThreadStats.snapshot(self).perOp(d0, windowedOps, options.window() + " outstanding, driver"));
            rows.addAll(ThreadStats.snapshot(server.pid()).perOp(s0, windowedOps, options.window() + " outstanding, server"));
            jfr.start(dir.resolve("driver-" + tag + "-casts.jfr"));
            server.command("jfr-start " + dir.resolve("server-" + tag + "-casts.jfr"));
            d0 = ThreadStats.snapshot(self);
            s0 = ThreadStats.snapshot(server.pid());
            Scenarios.CastRate casts = scenarios.casts(size, options.castBatch(), options.castDepth(),
                    Duration.ofMillis(100), options.measure());
            rows.addAll(ThreadStats.snapshot(self).perOp(d0, casts.accepted(), "casts, driver"));
            rows.addAll(ThreadStats.snapshot(server.pid()).perOp(s0, casts.accepted(), "casts, server"));
            server.command("jfr-stop");
            jfr.stop();

            System.out.println("socket ping-pong:            " + socket);
            System.out.println("noex call, platform caller:  " + call.latencies());
            System.out.println("noex call, virtual caller:   " + virtual.latencies());
            System.out.printf("%d outstanding calls:       %,.0f calls/s%n", options.window(), windowed);
            System.out.printf("casts:                       %,.0f msgs/s at the receiver%n", casts.perSecond());
            System.out.printf("frames: %d B request, %d B reply (+ 4-byte length each)%n",
                    call.requestFrameBytes(), call.replyFrameBytes());
            System.out.println();
            System.out.println("| run, JVM | thread group (threads) | CPU us/op | run-queue wait us/op "
                    + "| voluntary switches/op | involuntary switches/op |");
            System.out.println("|---|---|---|---|---|---|");
            rows.forEach(System.out::println);
            System.out.println("JFR: " + dir + "/{driver,server}-" + tag + ".jfr (sequential calls), "
                    + dir + "/{driver,server}-" + tag + "-casts.jfr (casts)");
        }
    }

    private Scenarios.RoundTrip fromVirtualThread(int size, int calls) throws InterruptedException {
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                out.set(scenarios.sequentialCalls(size, options.warmup() / 4, calls));
            } catch (RuntimeException e) {
                out.set(e);
            }
        });
        t.join();
        if (out.get() instanceof RuntimeException e) {
            throw e;
        }
        return (Scenarios.RoundTrip) out.get();
    }
}
