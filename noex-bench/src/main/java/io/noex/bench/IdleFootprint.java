package io.noex.bench;

import io.noex.GenServerRef;
import io.noex.Node;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * How much heap idle GenServers hold, and proof that an idle process holds no thread. Target:
 * 1,000,000 idle GenServers alive at once in at most 1 GiB of heap. A plain program, not a JMH
 * benchmark: it measures a state, not a rate.
 *
 * <p>It starts {@code count} GenServers (default 1,000,000) on one node, one after another from
 * the main thread, each with a small state object ({@link BenchBehaviors.Tally}); lets their
 * drains end; forces full collections; then reports the heap in use (total, and the growth per
 * process over the empty node), the platform thread count, the number of {@code VirtualThread}
 * objects on the heap (about zero: no idle process holds a thread) and the heap's top classes with
 * their bytes per process. It then calls a sample of 1,000 processes, checks each replies, closes
 * the node, and prints {@code PASS} if the heap in use with every process alive was at most
 * 1 GiB ({@code FAIL} and exit status 1 otherwise). Run it with {@code -Xmx1g} so that the
 * limit is enforced, not just reported.
 *
 * <p>Run (from the repository root, JDK 21 or newer; the argument is the process count):
 * <pre>
 * mvn -B -q -o -DskipTests package -pl noex-bench -am
 * java -Xmx1g -cp noex-bench/target/benchmarks.jar io.noex.bench.IdleFootprint 1000000
 * </pre>
 *
 * <p>Threading: the main thread starts, weighs, calls and closes; the processes run on their
 * own virtual threads only while they have mail.
 */
public final class IdleFootprint {

    private static final long GIB = 1L << 30;
    private static final double MIB = 1 << 20;
    private static final int SAMPLE = 1_000;
    private static final int TOP_CLASSES = 15;
    /** A row of {@code GC.class_histogram}: rank, instances, bytes, class name. */
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");

    private IdleFootprint() {
    }

    /**
     * @param args {@code [count]}, default 1,000,000 (underscores allowed: {@code 1_000_000})
     * @throws Exception if the heap histogram cannot be taken
     */
    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "IdleFootprint: %,d idle GenServers on one node%n", count);
        System.out.printf(Locale.ROOT, "JDK %s (%s), %d processors, max heap %.0f MiB, GC %s%n",
                Runtime.version(), System.getProperty("java.vm.name"), rt.availableProcessors(),
                rt.maxMemory() / MIB, gcNames());
        if (rt.maxMemory() > GIB) {
            System.out.println("note: max heap is above 1 GiB; run with -Xmx1g to enforce the limit");
        }

        Node node = Node.create("footprint");
        long emptyHeap = heapUsedAfterGc();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

        BenchBehaviors.Echo behavior = new BenchBehaviors.Echo();
        int sampleSize = Math.min(SAMPLE, count);
        int stride = count / sampleSize;
        GenServerRef[] sample = new GenServerRef[sampleSize];
        long t0 = System.nanoTime();
        for (int i = 0, k = 0; i < count; i++) {
            GenServerRef ref = node.start(behavior);
            if (i % stride == 0 && k < sampleSize) {
                sample[k++] = ref;
            }
            if ((i + 1) % (count / 10 == 0 ? count : count / 10) == 0) {
                System.out.printf(Locale.ROOT, "  started %,d (%.1f s)%n", i + 1, (System.nanoTime() - t0) / 1e9);
            }
        }
        double startSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "started %,d in %.2f s (%,.0f starts/s, one at a time from the main thread)%n",
                count, startSeconds, count / startSeconds);

        // Each drain lingers about 20 us after init before its thread ends; give the last ones time.
        Thread.sleep(200);
        long heap = heapUsedAfterGc();
        int threadsIdle = ManagementFactory.getThreadMXBean().getThreadCount();
        List<Row> histogram = classHistogram();
        long virtualThreads = histogram.stream().filter(r -> r.name.equals("java.lang.VirtualThread"))
                .mapToLong(r -> r.instances).sum();
        double perProcess = (double) (heap - emptyHeap) / count;

        System.out.printf(Locale.ROOT, "processes alive:      %,d%n", node.processCount());
        System.out.printf(Locale.ROOT, "heap used after GC:   %.1f MiB with them (%.1f MiB for the empty node)%n",
                heap / MIB, emptyHeap / MIB);
        System.out.printf(Locale.ROOT, "per process:          %.0f bytes%n", perProcess);
        System.out.printf(Locale.ROOT, "platform threads:     %d (%d before starting; the JVM's own and the carriers)%n",
                threadsIdle, threadsBefore);
        System.out.printf(Locale.ROOT, "VirtualThread objects on the heap: %,d (an idle process holds no thread)%n",
                virtualThreads);
        printTopClasses(histogram, count);

        long t1 = System.nanoTime();
        int answered = 0;
        for (GenServerRef ref : sample) {
            long reply = node.call(ref, BenchBehaviors.Msg.GET);
            if (reply == 0) {
                answered++;
            }
        }
        System.out.printf(Locale.ROOT, "called a sample of %,d: %,d replied correctly (%.1f ms)%n",
                sampleSize, answered, (System.nanoTime() - t1) / 1e6);

        long t2 = System.nanoTime();
        node.close();
        System.out.printf(Locale.ROOT, "closed the node in %.2f s; %,d processes left%n",
                (System.nanoTime() - t2) / 1e9, node.processCount());

        boolean pass = heap <= GIB && answered == sampleSize;
        System.out.printf(Locale.ROOT, "%s: %,d idle GenServers in %.1f MiB of heap (limit 1024 MiB), %.0f bytes each%n",
                pass ? "PASS" : "FAIL", count, heap / MIB, perProcess);
        if (!pass) {
            System.exit(1);
        }
    }

    /** @return the heap in use after full collections, once it stops shrinking */
    private static long heapUsedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return Math.min(used, now);
            }
            used = now;
        }
        return used;
    }

    private static String gcNames() {
        List<String> names = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            names.add(gc.getName());
        }
        return String.join(", ", names);
    }

    /** One class in the heap histogram. */
    private record Row(long instances, long bytes, String name) {
    }

    /** @return the live heap by class, largest first (the {@code jcmd <pid> GC.class_histogram} table) */
    private static List<Row> classHistogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        List<Row> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                rows.add(new Row(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3)));
            }
        }
        return rows;
    }

    private static void printTopClasses(List<Row> histogram, int count) {
        System.out.println("top classes on the heap (bytes/process = bytes / process count):");
        System.out.printf(Locale.ROOT, "  %12s %12s %10s  %s%n", "instances", "MiB", "B/process", "class");
        long shown = 0;
        for (Row r : histogram.subList(0, Math.min(TOP_CLASSES, histogram.size()))) {
            System.out.printf(Locale.ROOT, "  %,12d %12.1f %10.1f  %s%n", r.instances, r.bytes / MIB,
                    (double) r.bytes / count, r.name);
            shown += r.bytes;
        }
        long total = histogram.stream().mapToLong(Row::bytes).sum();
        System.out.printf(Locale.ROOT, "  %12s %12.1f %10.1f  (these %d classes; all classes: %.1f MiB)%n", "",
                shown / MIB, (double) shown / count, Math.min(TOP_CLASSES, histogram.size()), total / MIB);
    }
}
