package io.noex.bench.cluster;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The distribution of one run's round-trip times, in microseconds. Percentiles are nearest-rank
 * over every measured call (no histogram, no coordinated-omission correction: a sequential caller
 * sends the next call when the previous one returns).
 *
 * @param calls how many round trips were measured
 * @param p50 median, us
 * @param p90 90th percentile, us
 * @param p99 99th percentile, us
 * @param p999 99.9th percentile, us
 * @param max slowest, us
 * @param mean arithmetic mean, us
 */
record Latencies(int calls, double p50, double p90, double p99, double p999, double max, double mean) {

    /**
     * @param nanos one duration per call, in nanoseconds (sorted in place)
     * @return their summary
     */
    static Latencies of(long[] nanos) {
        Arrays.sort(nanos);
        double sum = 0;
        for (long n : nanos) {
            sum += n;
        }
        return new Latencies(nanos.length, us(rank(nanos, 0.50)), us(rank(nanos, 0.90)), us(rank(nanos, 0.99)),
                us(rank(nanos, 0.999)), us(nanos[nanos.length - 1]), sum / nanos.length / 1_000.0);
    }

    /**
     * @param runs the repetitions of one scenario
     * @return per statistic, the median of the runs' values (so each column is a median of its own)
     */
    static Latencies medianOf(List<Latencies> runs) {
        return new Latencies(runs.getFirst().calls(), median(runs, Latencies::p50), median(runs, Latencies::p90),
                median(runs, Latencies::p99), median(runs, Latencies::p999), median(runs, Latencies::max),
                median(runs, Latencies::mean));
    }

    /** @return the median of one statistic over runs (the lower middle for an even count) */
    static <T> double median(List<T> runs, ToDoubleFunction<T> stat) {
        double[] v = runs.stream().mapToDouble(stat).sorted().toArray();
        return v[(v.length - 1) / 2];
    }

    private static long rank(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double us(long nanos) {
        return nanos / 1_000.0;
    }

    @Override
    public String toString() {
        return String.format("p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.0f  mean %.1f us (%,d calls)",
                p50, p90, p99, p999, max, mean, calls);
    }
}
