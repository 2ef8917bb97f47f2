package io.noex.bench.cluster;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Every run's figures, and the Markdown table of their medians that {@code BENCHMARKS.md} records:
 * one row per measure, one column per payload size, the target beside each, every run's value in
 * brackets.
 *
 * <p>Targets (from the performance issue, 2 cores shared by both JVMs): round trip p50 &le; 40 us
 * and p99 &le; 150 us; &ge; 150,000 calls/s with 64 outstanding (&ge; 100,000 with 1 KiB);
 * &ge; 1,000,000 casts/s with 16-byte messages and &ge; 300,000 with 1 KiB.
 */
final class Results {

    /** One run of every scenario for one payload size. */
    private record Run(Latencies socket, Scenarios.RoundTrip call, double windowed, Scenarios.CastRate casts) {
    }

    private final ClusterBench.Options options;
    private final Map<Integer, List<Run>> bySize = new LinkedHashMap<>();

    Results(ClusterBench.Options options) {
        this.options = options;
    }

    void add(int size, Latencies socket, Scenarios.RoundTrip call, double windowed, Scenarios.CastRate casts) {
        bySize.computeIfAbsent(size, k -> new ArrayList<>()).add(new Run(socket, call, windowed, casts));
    }

    static String sizeName(int size) {
        return size % 1024 == 0 ? size / 1024 + " KiB" : size + " B";
    }

    void print(PrintStream out) {
        StringBuilder head = new StringBuilder("| measure | target |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (int size : bySize.keySet()) {
            head.append(" ").append(sizeName(size)).append(" payload |");
            rule.append("---|");
        }
        out.println(head);
        out.println(rule);
        latencyRow(out, "call round trip p50 (us)", "<= 40", r -> r.call().latencies().p50(), 40);
        latencyRow(out, "call round trip p90 (us)", "", r -> r.call().latencies().p90(), 0);
        latencyRow(out, "call round trip p99 (us)", "<= 150", r -> r.call().latencies().p99(), 150);
        latencyRow(out, "call round trip p99.9 (us)", "", r -> r.call().latencies().p999(), 0);
        latencyRow(out, "call round trip max (us)", "", r -> r.call().latencies().max(), 0);
        latencyRow(out, "call round trip mean (us)", "", r -> r.call().latencies().mean(), 0);
        rateRow(out, "calls/s, " + options.window() + " outstanding", ">= 150,000 (16 B), >= 100,000 (1 KiB)",
                Run::windowed, size -> size <= 16 ? 150_000 : 100_000);
        rateRow(out, "casts/s, counted at the receiver", ">= 1,000,000 (16 B), >= 300,000 (1 KiB)",
                r -> r.casts().perSecond(), size -> size <= 16 ? 1_000_000 : 300_000);
        latencyRow(out, "floor: socket ping-pong p50 (us)", "(no library)", r -> r.socket().p50(), 0);
        latencyRow(out, "floor: socket ping-pong p99 (us)", "", r -> r.socket().p99(), 0);
        latencyRow(out, "floor: socket ping-pong p99.9 (us)", "", r -> r.socket().p999(), 0);
        StringBuilder frames = new StringBuilder("| encoded frame: call request / reply / cast (bytes, + 4-byte length) | |");
        StringBuilder refused = new StringBuilder("| casts refused at the high-water mark and retried (per run) | |");
        for (List<Run> runs : bySize.values()) {
            Run last = runs.getLast();
            frames.append(" ").append(last.call().requestFrameBytes()).append(" / ").append(last.call().replyFrameBytes())
                    .append(" / ").append(last.casts().frameBytes()).append(" |");
            refused.append(" ");
            for (Run r : runs) {
                refused.append(r == runs.getFirst() ? "" : ", ").append(String.format("%,d", r.casts().refused()));
            }
            refused.append(" |");
        }
        out.println(frames);
        out.println(refused);
        out.printf("%nSequential calls: %,d measured per run after %,d warm-up calls, one platform-thread caller. "
                        + "Throughput: %s warm-up, %s measured per run.%n",
                options.calls(), options.warmup(), ClusterBench.seconds(options.warmupTime()),
                ClusterBench.seconds(options.measure()));
    }

    /** @param limit the target, for a pass/miss mark; 0 for none */
    private void latencyRow(PrintStream out, String name, String target, ToDoubleFunction<Run> stat, double limit) {
        StringBuilder row = new StringBuilder("| " + name + " | " + target + " |");
        for (List<Run> runs : bySize.values()) {
            double m = Latencies.median(runs, stat);
            row.append(" **").append(String.format("%.1f", m)).append("**");
            row.append(values(runs, stat, "%.1f"));
            if (limit > 0) {
                row.append(m <= limit ? " met" : " MISSED");
            }
            row.append(" |");
        }
        out.println(row);
    }

    private void rateRow(PrintStream out, String name, String target, ToDoubleFunction<Run> stat,
                         java.util.function.IntToDoubleFunction limit) {
        StringBuilder row = new StringBuilder("| " + name + " | " + target + " |");
        for (Map.Entry<Integer, List<Run>> e : bySize.entrySet()) {
            double m = Latencies.median(e.getValue(), stat);
            row.append(" **").append(String.format("%,.0f", m)).append("**").append(values(e.getValue(), stat, "%,.0f"));
            row.append(m >= limit.applyAsDouble(e.getKey()) ? " met" : " MISSED").append(" |");
        }
        out.println(row);
    }

    private static String values(List<Run> runs, ToDoubleFunction<Run> stat, String format) {
        if (runs.size() < 2) {
            return "";
        }
        StringBuilder s = new StringBuilder(" (");
        for (int i = 0; i < runs.size(); i++) {
            s.append(i == 0 ? "" : "; ").append(String.format(format, stat.applyAsDouble(runs.get(i))));
        }
        return s.append(")").toString();
    }
}
