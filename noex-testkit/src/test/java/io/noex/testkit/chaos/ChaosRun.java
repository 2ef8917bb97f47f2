package io.noex.testkit.chaos;

import io.noex.NodeId;
import io.noex.testkit.JvmCluster;
import io.noex.testkit.JvmNode;
import io.noex.testkit.NodeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Runs the chaos suite: starts {@value ChaosSettings#NODES} {@link ChaosNode} JVMs behind fault
 * proxies, starts their load, and then, round after round until the duration is spent, injects the
 * {@link ChaosScript}'s faults, checks what must hold while they last, lifts them, and checks what
 * must hold once the cluster healed. It ends with the load stopped and a last checkpoint.
 *
 * <p>While a round's faults last, for each running node W that lost a node X (X killed, frozen or
 * cut off by a partition): W reports X down within {@value #DETECTION_SECONDS} s; then W holds no
 * monitor and no link on X's target, and W's global table holds no name of X's processes, within
 * {@value #SETTLE_SECONDS} s.
 *
 * <p>At each checkpoint, once the faults are lifted: the cluster is a full mesh again within
 * {@value #HEAL_SECONDS} s; with the registry traffic paused, every node's global table is the
 * same, and every name is held by the current holder process of a live node, within
 * {@value #SETTLE_SECONDS} s; every watcher holds a monitor and a link on every other node's
 * current target within {@value #SETTLE_SECONDS} s; every JVM's heap after a full GC and its live
 * thread count are within their bounds. The nodes' own checks (calls, casts, monitor and link
 * signals) are collected from their reports at each checkpoint and before a node is killed.
 *
 * <p>Threading: one test thread; node starts run on virtual threads.
 */
final class ChaosRun {

    static final int DETECTION_SECONDS = 10;
    static final int SETTLE_SECONDS = 10;
    static final int HEAL_SECONDS = 30;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);

    private final ChaosSettings settings;
    private final JvmCluster cluster;
    private final ChaosReport report;
    private final ChaosScript script;
    private final List<String> names = new ArrayList<>();
    private final Map<String, JvmNode> jvms = new LinkedHashMap<>();
    private final Map<String, NodeId> ids = new LinkedHashMap<>();
    private final Set<String> frozen = new HashSet<>();
    private final Set<String> killed = new HashSet<>();
    private int round;

    /**
     * @param settings the run's settings
     * @param cluster a cluster built {@code behindFaultProxies()}, with no node yet
     */
    ChaosRun(ChaosSettings settings, JvmCluster cluster) {
        this.settings = settings;
        this.cluster = cluster;
        this.report = new ChaosReport(settings);
        for (int i = 0; i < ChaosSettings.NODES; i++) {
            names.add("node" + i);
        }
        this.script = new ChaosScript(settings.seed(), names);
    }

    /** @return what the run did and found so far (all of it once {@link #run} returned) */
    ChaosReport report() {
        return report;
    }

    /**
     * Runs the suite.
     *
     * @return what it did and found
     */
    ChaosReport run() {
        long started = System.nanoTime();
        startAll();
        long end = started + settings.duration().toNanos();
        try {
            checkpoint(); // the baseline: every invariant holds before the first fault
            while (System.nanoTime() < end) {
                oneRound();
            }
            finish();
        } finally {
            report.elapsed(Duration.ofNanos(System.nanoTime() - started));
        }
        return report;
    }

    // ================================================================== start and end

    private void startAll() {
        JvmNode first = cluster.start(names.get(0), settings.nodeOptions());
        jvms.put(first.name(), first);
        ids.put(first.name(), first.nodeId());
        try (ExecutorService starts = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, Future<JvmNode>> pending = new LinkedHashMap<>();
            for (String n : names.subList(1, names.size())) {
                pending.put(n, starts.submit(() -> cluster.start(n, settings.nodeOptions().toBuilder().seeds(first.nodeId()).build())));
            }
            for (Map.Entry<String, Future<JvmNode>> e : pending.entrySet()) {
                JvmNode n = get(e.getValue());
                jvms.put(e.getKey(), n);
                ids.put(e.getKey(), n.nodeId());
            }
        }
        if (!awaitFullMesh()) {
            throw new IllegalStateException("the " + names.size() + " chaos nodes did not form a full mesh within "
                    + HEAL_SECONDS + " s: " + meshState());
        }
        for (String n : names) {
            startLoad(n);
        }
        log("started " + ids.values() + "; load: " + settings.loadSettings());
    }

    private void startLoad(String name) {
        String peers = ids.values().stream().map(NodeId::toString).collect(Collectors.joining(","));
        command(name, "start " + peers + " " + settings.loadSettings());
    }

    private void finish() {
        round++;
        log("end: stopping the load");
        try (ExecutorService stops = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> done = new ArrayList<>();
            for (String n : names) {
                done.add(stops.submit(() -> command(n, "stop-load")));
            }
            done.forEach(ChaosRun::get);
        }
        checkpoint();
        for (String n : names) {
            report.undecided(Long.parseLong(command(n, "undecided")));
        }
        for (JvmNode j : cluster.nodes()) {
            report.downEvents(j.events().stream().filter(e -> e.kind() == NodeEvent.Kind.DOWN).count());
        }
    }

    // ================================================================== rounds

    private void oneRound() {
        round++;
        report.round();
        ChaosScript.Round r = script.next();
        log("round " + round + ": " + r.faults() + ", hold " + r.hold().toMillis() + " ms");
        long t0 = System.nanoTime();
        for (Fault f : r.faults()) {
            apply(f);
            report.injected(f);
        }
        whileFaulty(r.faults(), t0);
        long left = r.hold().toNanos() - (System.nanoTime() - t0);
        if (left > 0) {
            sleep(Duration.ofNanos(left)); // the fault's duration is the scenario, not a wait for a result
        }
        lift(r.faults());
        checkpoint();
    }

    private void apply(Fault f) {
        switch (f) {
            case Fault.Kill k -> {
                collect(k.node()); // what it counted dies with it otherwise
                jvms.get(k.node()).kill9();
                killed.add(k.node());
            }
            case Fault.Freeze z -> {
                jvms.get(z.node()).freeze();
                frozen.add(z.node());
            }
            case Fault.Partition p -> cluster.faults().partition(p.sideA(), p.sideB());
            case Fault.Delay d -> cluster.faults().delay(d.a(), d.b(), d.delay());
            case Fault.Drop d -> cluster.faults().dropConnections(d.node());
            case Fault.KillTarget k -> command(k.node(), "kill-target");
        }
    }

    private void lift(List<Fault> faults) {
        cluster.faults().heal();
        for (Fault f : faults) {
            switch (f) {
                case Fault.Kill k -> {
                    List<NodeId> seeds = ids.entrySet().stream().filter(e -> !e.getKey().equals(k.node()))
                            .map(Map.Entry::getValue).toList();
                    JvmNode again = cluster.start(k.node(), settings.nodeOptions().toBuilder()
                            .seeds(seeds.toArray(NodeId[]::new)).build());
                    jvms.put(k.node(), again);
                    killed.remove(k.node());
                    startLoad(k.node());
                }
                case Fault.Freeze z -> {
                    jvms.get(z.node()).resume();
                    frozen.remove(z.node());
                }
                default -> { }
            }
        }
    }

    /** The checks that hold while the faults last: each running node sees each lost node go, and lets go of it. */
    private void whileFaulty(List<Fault> faults, long since) {
        Map<String, Set<String>> lost = new LinkedHashMap<>();
        for (Fault f : faults) {
            switch (f) {
                case Fault.Kill k -> lostBy(lost, running(), List.of(k.node()));
                case Fault.Freeze z -> lostBy(lost, running(), List.of(z.node()));
                case Fault.Partition p -> {
                    lostBy(lost, p.sideA(), p.sideB());
                    lostBy(lost, p.sideB(), p.sideA());
                }
                default -> { }
            }
        }
        for (Map.Entry<String, Set<String>> e : lost.entrySet()) {
            String w = e.getKey();
            JvmNode observer = jvms.get(w);
            Set<String> gone = new HashSet<>();
            for (String x : e.getValue()) {
                try {
                    observer.awaitEvent(NodeEvent.down(ids.get(x)).and(NodeEvent.after(since)),
                            Duration.ofSeconds(DETECTION_SECONDS));
                    gone.add(x);
                    report.checked("node loss detected");
                } catch (AssertionError notSeen) {
                    if (lastEventIsDown(observer, x)) {
                        // W had seen X go (a false down under load) just before the fault, and X
                        // had not come back: it is down at W, as the checks below need.
                        gone.add(x);
                        report.checked("node loss detected (down already)");
                    } else {
                        report.violation(round, "detection", w + " did not report " + x + " down within "
                                + DETECTION_SECONDS + " s of the fault; its events about it: " + lastEvents(w, x));
                    }
                }
            }
            if (gone.isEmpty()) {
                continue;
            }
            Supplier<List<String>> heldOnLost = () -> {
                List<String> held = new ArrayList<>();
                watching(w).forEach((peer, h) -> {
                    if (gone.contains(peer) && (!h.monitor().equals("-") || !h.link().equals("-"))) {
                        held.add(peer + ": " + h);
                    }
                });
                return held;
            };
            List<String> held = until(heldOnLost, List::isEmpty);
            if (!held.isEmpty()) {
                report.violation(round, "signals-on-loss", w + " still holds a monitor or link on a lost node's target "
                        + SETTLE_SECONDS + " s after seeing it down (no Down or Exit came): " + held);
            } else {
                report.checked("monitors and links released on loss");
            }
            Set<NodeId> goneIds = gone.stream().map(ids::get).collect(Collectors.toSet());
            Supplier<List<String>> namesOfLost = () -> table(w).entrySet().stream()
                    .filter(n -> goneIds.contains(holderNode(n.getValue())))
                    .map(n -> n.getKey() + "=" + n.getValue()).toList();
            List<String> stale = until(namesOfLost, List::isEmpty);
            if (!stale.isEmpty()) {
                report.violation(round, "registry-on-loss", w + " still lists names of a lost node's processes "
                        + SETTLE_SECONDS + " s after seeing it down: " + stale);
            } else {
                report.checked("names of lost nodes dropped");
            }
        }
    }

    private boolean lastEventIsDown(JvmNode observer, String about) {
        List<NodeEvent> about1 = observer.events().stream().filter(e -> e.node().equals(ids.get(about))).toList();
        return !about1.isEmpty() && about1.get(about1.size() - 1).kind() == NodeEvent.Kind.DOWN;
    }

    private static void lostBy(Map<String, Set<String>> lost, List<String> observers, List<String> gone) {
        for (String w : observers) {
            lost.computeIfAbsent(w, k -> new HashSet<>()).addAll(gone);
        }
    }

    /** @return the nodes neither killed nor frozen now */
    private List<String> running() {
        return names.stream().filter(n -> !killed.contains(n) && !frozen.contains(n)).toList();
    }

    // ================================================================== checkpoint

    private void checkpoint() {
        long t0 = System.nanoTime();
        if (!awaitFullMesh()) {
            report.violation(round, "heal", "no full mesh " + HEAL_SECONDS + " s after the faults were lifted: " + meshState());
            throw new IllegalStateException("the cluster did not heal; stopping the run (round " + round + "): " + meshState());
        }
        long meshMillis = millisSince(t0);
        report.healed(meshMillis);
        for (String n : names) {
            collect(n);
        }
        Map<String, String[]> refs = new HashMap<>();
        for (String n : names) {
            refs.put(n, parseRefs(command(n, "refs")));
        }
        long registryMillis = checkRegistry(refs);
        long signalsMillis = checkSignals(refs);
        sampleAll();
        log("round " + round + " checkpoint: full mesh after " + meshMillis + " ms, registry converged in "
                + registryMillis + " ms, monitors and links settled in " + signalsMillis + " ms");
    }

    private long checkRegistry(Map<String, String[]> refs) {
        for (String n : names) {
            command(n, "registry pause");
        }
        long t0 = System.nanoTime();
        try {
            Supplier<List<String>> problems = () -> registryProblems(refs);
            List<String> left = until(problems, List::isEmpty);
            long ms = millisSince(t0);
            if (!left.isEmpty()) {
                StringBuilder events = new StringBuilder();
                for (String n : names) {
                    if (left.stream().anyMatch(p -> p.startsWith(n + " "))) {
                        for (String other : names) {
                            if (!other.equals(n)) {
                                events.append("; events of ").append(n).append(" about ").append(other).append(": ")
                                        .append(lastEvents(n, other));
                            }
                        }
                    }
                }
                report.violation(round, "registry-convergence", "the global tables did not converge within "
                        + SETTLE_SECONDS + " s of the heal (registry traffic paused): " + left + events);
            } else {
                report.checked("registry converged");
                report.registryConverged(ms);
            }
            return ms;
        } finally {
            for (String n : names) {
                command(n, "registry resume");
            }
        }
    }

    private List<String> registryProblems(Map<String, String[]> refs) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, String>> tables = new LinkedHashMap<>();
        for (String n : names) {
            tables.put(n, table(n));
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
            if (!ids.containsKey(holderName) || !ids.get(holderName).equals(holderNode)) {
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
            if (!java.util.Objects.equals(a.get(k), b.get(k))) {
                d.add(k + ": " + a.get(k) + " vs " + b.get(k));
            }
        });
        return d.toString();
    }

    private long checkSignals(Map<String, String[]> refs) {
        long t0 = System.nanoTime();
        Supplier<List<String>> problems = () -> {
            List<String> p = new ArrayList<>();
            for (String w : names) {
                Map<String, Holding> held = watching(w);
                for (String x : names) {
                    if (x.equals(w)) {
                        continue;
                    }
                    Holding h = held.get(x);
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
                    + SETTLE_SECONDS + " s of the heal (a stale one means a Down or Exit never came): " + left);
        } else {
            report.checked("monitors and links re-established");
            report.signalsSettled(ms);
        }
        return ms;
    }

    private void sampleAll() {
        for (String n : names) {
            Map<String, Long> s = keyValues(command(n, "stats"));
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

    // ================================================================== talking to the nodes

    /** A watcher's holdings on one peer: the target ids its monitor and link are on, or "-". */
    record Holding(String monitor, String link) {
    }

    private Map<String, Holding> watching(String node) {
        Map<String, Holding> out = new HashMap<>();
        String line = command(node, "watching");
        if (line.isBlank()) {
            return out;
        }
        for (String entry : line.trim().split(" ")) {
            int colon = entry.indexOf(':');
            Map<String, String> kv = new HashMap<>();
            for (String part : entry.substring(colon + 1).split(",")) {
                String[] p = part.split("=", 2);
                kv.put(p[0], p[1]);
            }
            out.put(entry.substring(0, colon), new Holding(kv.get("monitor"), kv.get("link")));
        }
        return out;
    }

    private Map<String, String> table(String node) {
        Map<String, String> out = new LinkedHashMap<>();
        String line = command(node, "names");
        if (line.isBlank()) {
            return out;
        }
        for (String entry : line.trim().split(" ")) {
            String[] p = entry.split("=", 2);
            out.put(p[0], p[1]);
        }
        return out;
    }

    /** @param holder {@code id@name@host:port} */
    private static NodeId holderNode(String holder) {
        return NodeId.parse(holder.substring(holder.indexOf('@') + 1));
    }

    private static String[] parseRefs(String line) {
        Map<String, String> kv = new HashMap<>();
        for (String part : line.trim().split(" ")) {
            String[] p = part.split("=", 2);
            kv.put(p[0], p[1]);
        }
        return new String[] {kv.get("target"), kv.get("holder")};
    }

    private static Map<String, Long> keyValues(String line) {
        Map<String, Long> kv = new HashMap<>();
        for (String part : line.trim().split(" ")) {
            String[] p = part.split("=", 2);
            kv.put(p[0], Long.parseLong(p[1]));
        }
        return kv;
    }

    private void collect(String node) {
        JvmNode n = jvms.get(node);
        report.nodeReport(n.pid(), ChaosLedger.parse(command(node, "report")), round);
    }

    private String command(String node, String command) {
        return jvms.get(node).command(command, COMMAND_TIMEOUT);
    }

    private boolean awaitFullMesh() {
        return until(this::meshComplete, Boolean::booleanValue, HEAL_SECONDS);
    }

    private boolean meshComplete() {
        for (String n : names) {
            if (jvms.get(n).connectedNodes().size() != names.size() - 1) {
                return false;
            }
        }
        return true;
    }

    /** @return who is connected to whom, and for each missing link the events both ends reported about it */
    private String meshState() {
        StringBuilder sb = new StringBuilder();
        Map<String, List<String>> connected = new LinkedHashMap<>();
        for (String n : names) {
            JvmNode j = jvms.get(n);
            sb.append(n).append(" -> ");
            try {
                List<String> c = j.connectedNodes().stream().map(NodeId::name).toList();
                connected.put(n, c);
                sb.append(c);
            } catch (RuntimeException e) {
                sb.append("(no answer: ").append(e.getMessage().lines().findFirst().orElse("")).append(')');
            }
            sb.append("; ");
        }
        connected.forEach((n, c) -> {
            for (String other : names) {
                if (!other.equals(n) && !c.contains(other)) {
                    sb.append("\n  missing ").append(n).append(" -> ").append(other).append("; last events of ").append(n)
                            .append(" about ").append(other).append(": ").append(lastEvents(n, other))
                            .append("; of ").append(other).append(" about ").append(n).append(": ").append(lastEvents(other, n));
                }
            }
        });
        return sb.toString();
    }

    private List<String> lastEvents(String observer, String about) {
        long now = System.nanoTime();
        List<String> out = jvms.get(observer).events().stream().filter(e -> e.node().equals(ids.get(about)))
                .map(e -> e.kind() + e.reason().map(r -> " " + r).orElse("") + " " + millisAgo(now, e.receivedNanos()) + " ms ago")
                .toList();
        return out.subList(Math.max(0, out.size() - 6), out.size());
    }

    private static long millisAgo(long now, long then) {
        return TimeUnit.NANOSECONDS.toMillis(now - then);
    }

    /** Polls {@code value} until {@code done} holds or {@value #SETTLE_SECONDS} s pass; returns the last value. */
    private <T> T until(Supplier<T> value, Predicate<T> done) {
        return until(value, done, SETTLE_SECONDS);
    }

    /** Polls {@code value} until {@code done} holds or {@code seconds} pass; returns the last value. */
    private static <T> T until(Supplier<T> value, Predicate<T> done, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            T v = value.get();
            if (done.test(v) || System.nanoTime() > deadline) {
                return v;
            }
            sleep(Duration.ofMillis(50));
        }
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void log(String line) {
        System.out.println("chaos seed " + settings.seed() + ": " + line);
    }
}
