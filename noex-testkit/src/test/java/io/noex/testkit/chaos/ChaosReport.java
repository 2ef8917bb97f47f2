package io.noex.testkit.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a chaos run did and found: operations by kind (summed over every JVM the run started,
 * each at its last report), faults by kind, invariant violations (from the nodes and from the
 * test's own checks), and the memory and thread samples.
 *
 * <p>Threading: confined to the test's thread.
 */
final class ChaosReport {

    /** One memory and thread sample of one JVM, after a full GC. */
    record Sample(String node, long heapAfterGc, int threads, int peakThreads, int processes) {
    }

    private final ChaosSettings settings;
    private final Map<Long, Map<String, Long>> countersByJvm = new LinkedHashMap<>();
    private final Map<String, Long> faults = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    private final Map<String, Long> checks = new TreeMap<>();
    private final List<Sample> samples = new ArrayList<>();
    private int rounds;
    private long undecided;
    private long downEvents;
    private Duration elapsed = Duration.ZERO;
    private long slowestHealMillis;
    private long slowestRegistryMillis;
    private long slowestSignalsMillis;

    ChaosReport(ChaosSettings settings) {
        this.settings = settings;
    }

    /**
     * @param pid the reporting JVM
     * @param report its latest report
     * @param round the round it came in, for the violations' context
     */
    void nodeReport(long pid, ChaosLedger.Report report, int round) {
        countersByJvm.put(pid, report.counters());
        for (String v : report.violations()) {
            violations.add("round " + round + ": " + v);
        }
    }

    /**
     * @param round the round
     * @param kind the invariant
     * @param description what the test saw
     */
    void violation(int round, String kind, String description) {
        violations.add("round " + round + ": test: " + kind + ": " + description);
        checks.merge("violation." + kind, 1L, Long::sum);
    }

    /** @param name a check the test made, counted */
    void checked(String name) {
        checks.merge(name, 1L, Long::sum);
    }

    /** @param fault a fault injected */
    void injected(Fault fault) {
        faults.merge(fault.kind(), 1L, Long::sum);
    }

    /** @param gaps cast gaps one sink still waits to judge at the end (their sender sent nothing after) */
    void undecided(long gaps) {
        undecided += gaps;
    }

    /** @param n node-down events one JVM reported (every cause: faults, and false downs under load) */
    void downEvents(long n) {
        downEvents += n;
    }

    void round() {
        rounds++;
    }

    int rounds() {
        return rounds;
    }

    void sample(Sample s) {
        samples.add(s);
    }

    void healed(long millis) {
        slowestHealMillis = Math.max(slowestHealMillis, millis);
    }

    void registryConverged(long millis) {
        slowestRegistryMillis = Math.max(slowestRegistryMillis, millis);
    }

    void signalsSettled(long millis) {
        slowestSignalsMillis = Math.max(slowestSignalsMillis, millis);
    }

    void elapsed(Duration d) {
        elapsed = d;
    }

    /** @return every violation seen */
    List<String> violations() {
        return List.copyOf(violations);
    }

    /** @return the operation counters summed over every JVM of the run */
    Map<String, Long> totals() {
        Map<String, Long> sum = new TreeMap<>();
        for (Map<String, Long> c : countersByJvm.values()) {
            c.forEach((k, v) -> sum.merge(k, v, Long::sum));
        }
        return sum;
    }

    /** @return the samples taken */
    List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** @return the report, one fact per line, each starting {@code NOEX-MEASURE chaos} */
    String format() {
        List<String> lines = new ArrayList<>();
        lines.add("seed " + settings.seed() + ", fault duration " + settings.duration() + ", ran " + elapsed.toSeconds()
                + " s, " + rounds + " rounds, " + countersByJvm.size() + " JVMs");
        lines.add("repeat: " + settings.repeatCommand());
        Map<String, Long> t = totals();
        lines.add("operations: " + ops(t));
        lines.add("faults: " + faults + "; node-down events reported by the nodes, all causes: " + downEvents);
        lines.add("test checks: " + checks);
        long violationCount = t.entrySet().stream().filter(e -> e.getKey().startsWith(ChaosLedger.VIOLATION_PREFIX))
                .mapToLong(Map.Entry::getValue).sum()
                + checks.entrySet().stream().filter(e -> e.getKey().startsWith("violation.")).mapToLong(Map.Entry::getValue).sum();
        lines.add("invariant violations: " + violationCount + " (cast gaps undecided at the end: " + undecided + ")");
        lines.add("slowest: heal to full mesh " + slowestHealMillis + " ms, registry convergence " + slowestRegistryMillis
                + " ms, monitors and links re-established " + slowestSignalsMillis + " ms");
        if (!samples.isEmpty()) {
            long maxHeap = samples.stream().mapToLong(Sample::heapAfterGc).max().orElse(0);
            int maxThreads = samples.stream().mapToInt(Sample::threads).max().orElse(0);
            int maxPeak = samples.stream().mapToInt(Sample::peakThreads).max().orElse(0);
            int maxProcesses = samples.stream().mapToInt(Sample::processes).max().orElse(0);
            Sample first = samples.get(0);
            Sample last = samples.get(samples.size() - 1);
            lines.add("memory and threads over " + samples.size() + " samples: heap after GC max " + mib(maxHeap)
                    + " (bound " + ChaosSettings.HEAP_BOUND_MIB + " MiB; first sample " + mib(first.heapAfterGc())
                    + ", last " + mib(last.heapAfterGc()) + "), live threads max " + maxThreads + " (bound "
                    + ChaosSettings.THREAD_BOUND + "; peak " + maxPeak + "), processes max " + maxProcesses);
        }
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append("NOEX-MEASURE chaos: ").append(l).append('\n');
        }
        return sb.toString();
    }

    private static String ops(Map<String, Long> t) {
        Map<String, Long> ops = new TreeMap<>();
        t.forEach((k, v) -> {
            if (!k.startsWith(ChaosLedger.VIOLATION_PREFIX)) {
                ops.put(k, v);
            }
        });
        return ops.toString();
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1024.0 / 1024.0);
    }
}
