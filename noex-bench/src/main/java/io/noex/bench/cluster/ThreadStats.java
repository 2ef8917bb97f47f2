package io.noex.bench.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where a JVM's threads spent a scenario, read from Linux's per-thread accounting
 * ({@code /proc/PID/task/TID/schedstat} and {@code status}): CPU time, time spent runnable but
 * waiting for a core (the run queue), and voluntary context switches (the thread blocked: a park,
 * a futex wait, {@code epoll_wait}, a blocking read; each one later costs a wake-up). Threads are
 * grouped by their kernel name, which the JVM sets to the first 15 characters of the Java name:
 * {@code noex-io-server-} is the server's Netty event loop, {@code ForkJoinPool-1-} the carriers
 * of virtual threads (the processes), {@code java} the main thread (the caller; the launcher's
 * threads keep the process's name), {@code socket-echo} the socket baseline's server thread.
 *
 * <p>Linux only; elsewhere a snapshot is empty and the report says so.
 *
 * <p>Threading: snapshots are immutable values.
 */
final class ThreadStats {

    /** One thread's counters at one moment. */
    private record Counters(String name, long cpuNanos, long waitNanos, long voluntary, long involuntary) {
    }

    private final Map<Long, Counters> byTid;

    private ThreadStats(Map<Long, Counters> byTid) {
        this.byTid = byTid;
    }

    /**
     * @param pid a process of this user
     * @return its threads' counters now
     */
    static ThreadStats snapshot(long pid) {
        Map<Long, Counters> m = new HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> s = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) s::iterator) {
                try {
                    String name = Files.readString(t.resolve("comm")).strip();
                    String[] sched = Files.readString(t.resolve("schedstat")).strip().split(" ");
                    long vol = 0;
                    long invol = 0;
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            vol = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            invol = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                        }
                    }
                    m.put(Long.parseLong(t.getFileName().toString()),
                            new Counters(name, Long.parseLong(sched[0]), Long.parseLong(sched[1]), vol, invol));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we read it: it is not part of the picture
                }
            }
        } catch (IOException e) {
            return new ThreadStats(Map.of());
        }
        return new ThreadStats(m);
    }

    /**
     * The change from {@code before} to this snapshot, per thread group and per operation.
     *
     * @param before the earlier snapshot of the same process
     * @param ops the operations done in between (round trips)
     * @param label names the JVM in the printed lines
     * @return printable lines, busiest group first; groups under 0.05 us of CPU per op are left out
     */
    List<String> perOp(ThreadStats before, long ops, String label) {
        Map<String, double[]> groups = new TreeMap<>();
        for (Map.Entry<Long, Counters> e : byTid.entrySet()) {
            Counters now = e.getValue();
            Counters then = before.byTid.getOrDefault(e.getKey(), new Counters(now.name(), 0, 0, 0, 0));
            double[] g = groups.computeIfAbsent(group(now.name()), k -> new double[5]);
            g[0] += now.cpuNanos() - then.cpuNanos();
            g[1] += now.waitNanos() - then.waitNanos();
            g[2] += now.voluntary() - then.voluntary();
            g[3] += now.involuntary() - then.involuntary();
            g[4]++;
        }
        List<String> lines = new ArrayList<>();
        if (groups.isEmpty()) {
            lines.add(label + ": no /proc thread accounting on this system");
            return lines;
        }
        groups.entrySet().stream()
                .filter(e -> e.getValue()[0] / ops >= 50)
                .sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
                .forEach(e -> {
                    double[] g = e.getValue();
                    lines.add(String.format("| %s | %s (%d) | %.2f | %.2f | %.2f | %.2f |", label, e.getKey(), (int) g[4],
                            g[0] / ops / 1_000, g[1] / ops / 1_000, g[2] / ops, g[3] / ops));
                });
        return lines;
    }

    /** Carriers and GC workers are numbered; count them as one group. */
    private static String group(String name) {
        if (name.equals("java")) {
            return "java (main: the caller)"; // the launcher's threads keep the process name
        }
        return name.replaceAll("\\d+$", "*");
    }
}
