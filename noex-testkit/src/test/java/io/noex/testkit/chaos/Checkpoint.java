package io.noex.testkit.chaos;

import static io.noex.testkit.chaos.ChaosNodes.holderNode;
import static io.noex.testkit.chaos.ChaosNodes.keyValues;
import static io.noex.testkit.chaos.ChaosNodes.until;

import io.noex.NodeId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The checks of one checkpoint, once the cluster is a full mesh again (see {@link ChaosRun}):
 * the registry converged, monitors and links are on the current targets, memory and threads
 * within their bounds. Each violation goes to the {@link ChaosReport}.
 *
 * <p>Threading: confined to the test's thread.
 */
final class Checkpoint {

    private final ChaosNodes nodes;
    private final ChaosReport report;
    private final int round;
    private final List<String> names;
    private final Map<String, String[]> refs;

    /**
     * @param nodes the nodes
     * @param report where violations go
     * @param round the round, for the violations' context
     * @param refs each node's current target and holder ids, by node name
     */
    Checkpoint(ChaosNodes nodes, ChaosReport report, int round, Map<String, String[]> refs) {
        this.nodes = nodes;
        this.report = report;
        this.round = round;
        this.names = nodes.names();
        this.refs = refs;
    }

    /**
     * With the registry traffic paused: every node's table is the same, and every name is held
     * by the current holder of a live node.
     *
     * @return how long it took to converge, in ms (or to give up)
     */
    long registry() {
        for (String n : names) {
            nodes.command(n, "registry pause");
        }
        long t0 = System.nanoTime();
        try {
            Supplier<List<String>> problems = this::registryProblems;
            List<String> left = until(problems, List::isEmpty);
            long ms = millisSince(t0);
            if (!left.isEmpty()) {
                StringBuilder events = new StringBuilder();
                for (String n : names) {
                    if (left.stream().anyMatch(p -> p.startsWith(n + " "))) {
                        for (String other : names) {
                            if (!other.equals(n)) {
                                events.append("; events of ").append(n).append(" about ").append(other).append(": ")
                                        .append(nodes.lastEvents(n, other));
                            }
                        }
                    }
                }
                report.violation(round, "registry-convergence", "the global tables did not converge within "
                        + ChaosNodes.SETTLE_SECONDS + " s of the heal (registry traffic paused): " + left + events);
            } else {
                report.checked("registry converged");
                report.registryConverged(ms);
            }
            return ms;
        } finally {
            for (String n : names) {
                nodes.command(n, "registry resume");
            }
        }
    }

    private List<String> registryProblems() {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, String>> tables = new LinkedHashMap<>();
        for (String n : names) {
            tables.put(n, nodes.table(n));
        }
        Map<String, String> reference = tables.get(names.get(0));
        for (Map.Entry<String, Map<String, String>> e : tables.entrySet()) {
            if (!e.getValue().equals(reference)) {
                problems.add(e.getKey() + " differs from " + names.get(0) + ": " + diff(reference, e.getValue()));
            }
        }
        for (Map.Entry<String, String> entry : reference.entrySet()) {
            NodeId holderNode = holderNode(entry.getValue());
            String holderName = holderNode.name();
            if (!holderNode.equals(nodes.ids().get(holderName))) {
                problems.add(entry.getKey() + " is held on an unknown node: " + entry.getValue());
            } else if (!entry.getValue().startsWith(refs.get(holderName)[1] + "@")) {
                problems.add(entry.getKey() + " is held by " + entry.getValue() + ", not by " + holderName
                        + "'s current holder " + refs.get(holderName)[1]);
            }
        }
        return problems;
    }

    private static String diff(Map<String, String> a, Map<String, String> b) {
        List<String> d = new ArrayList<>();
        Set<String> keys = new HashSet<>(a.keySet());
        keys.addAll(b.keySet());
        keys.stream().sorted().forEach(k -> {
            if (!Objects.equals(a.get(k), b.get(k))) {
                d.add(k + ": " + a.get(k) + " vs " + b.get(k));
            }
        });
        return d.toString();
    }

    /**
     * Every watcher holds a monitor and a link on every other node's current target.
     *
     * @return how long it took to settle, in ms (or to give up)
     */
    long signals() {
        long t0 = System.nanoTime();
        Supplier<List<String>> problems = () -> {
            List<String> p = new ArrayList<>();
            for (String w : names) {
                Map<String, ChaosNodes.Holding> held = nodes.watching(w);
                for (String x : names) {
                    if (x.equals(w)) {
                        continue;
                    }
                    ChaosNodes.Holding h = held.get(x);
                    String target = refs.get(x)[0];
                    if (h == null || !h.monitor().equals(target) || !h.link().equals(target)) {
                        p.add(w + " on " + x + " (target " + target + "): " + h);
                    }
                }
            }
            return p;
        };
        List<String> left = until(problems, List::isEmpty);
        long ms = millisSince(t0);
        if (!left.isEmpty()) {
            report.violation(round, "signals-reestablished", "monitors and links not all on the current targets within "
                    + ChaosNodes.SETTLE_SECONDS + " s of the heal (a stale one means a Down or Exit never came): " + left);
        } else {
            report.checked("monitors and links re-established");
            report.signalsSettled(ms);
        }
        return ms;
    }

    /** Every JVM's heap after a full GC and its live threads are within their bounds. */
    void memoryAndThreads() {
        for (String n : names) {
            Map<String, Long> s = keyValues(nodes.command(n, "stats"));
            ChaosReport.Sample sample = new ChaosReport.Sample(n, s.get("heapAfterGc"), s.get("threads").intValue(),
                    s.get("peakThreads").intValue(), s.get("processes").intValue());
            report.sample(sample);
            if (sample.heapAfterGc() > ChaosSettings.HEAP_BOUND_MIB * 1024 * 1024) {
                report.violation(round, "memory", n + " holds " + sample.heapAfterGc() + " bytes of heap after a full GC, over "
                        + ChaosSettings.HEAP_BOUND_MIB + " MiB");
            }
            if (sample.threads() > ChaosSettings.THREAD_BOUND) {
                report.violation(round, "threads", n + " has " + sample.threads() + " live threads, over "
                        + ChaosSettings.THREAD_BOUND);
            }
        }
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
