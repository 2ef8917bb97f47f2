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
 * {@value ChaosNodes#SETTLE_SECONDS} s.
 *
 * <p>At each checkpoint, once the faults are lifted: the cluster is a full mesh again within
 * {@value ChaosNodes#HEAL_SECONDS} s; with the registry traffic paused, every node's global table is the
 * same, and every name is held by the current holder process of a live node, within
 * {@value ChaosNodes#SETTLE_SECONDS} s; every watcher holds a monitor and a link on every other node's
 * current target within {@value ChaosNodes#SETTLE_SECONDS} s; every JVM's heap after a full GC and its live
 * thread count are within their bounds. The nodes' own checks (calls, casts, monitor and link
 * signals) are collected from their reports at each checkpoint and before a node is killed.
 *
 * <p>Threading: one test thread; node starts run on virtual threads.
 */
final class ChaosRun {

    static final int DETECTION_SECONDS = 10;
    static final int SETTLE_SECONDS = ChaosNodes.SETTLE_SECONDS;
    static final int HEAL_SECONDS = ChaosNodes.HEAL_SECONDS;

    private final ChaosSettings settings;
    private final JvmCluster cluster;
    private final ChaosReport report;
    private final ChaosScript script;
    private final List<String> names = new ArrayList<>();
    private final ChaosNodes nodes;
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
        this.nodes = new ChaosNodes(names);
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
        nodes.put(first.name(), first);
        try (ExecutorService starts = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, Future<JvmNode>> pending = new LinkedHashMap<>();
            for (String n : names.subList(1, names.size())) {
                pending.put(n, starts.submit(() -> cluster.start(n, settings.nodeOptions().toBuilder().seeds(first.nodeId()).build())));
            }
            for (Map.Entry<String, Future<JvmNode>> e : pending.entrySet()) {
                nodes.put(e.getKey(), get(e.getValue()));
            }
        }
        if (!nodes.awaitFullMesh()) {
            throw new IllegalStateException("the " + names.size() + " chaos nodes did not form a full mesh within "
                    + HEAL_SECONDS + " s: " + nodes.meshState());
        }
        for (String n : names) {
            startLoad(n);
        }
        log("started " + nodes.ids().values() + "; load: " + settings.loadSettings());
    }

    private void startLoad(String name) {
        String peers = nodes.ids().values().stream().map(NodeId::toString).collect(Collectors.joining(","));
        nodes.command(name, "start " + peers + " " + settings.loadSettings());
    }

    private void finish() {
        round++;
        log("end: stopping the load");
        try (ExecutorService stops = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> done = new ArrayList<>();
            for (String n : names) {
                done.add(stops.submit(() -> nodes.command(n, "stop-load")));
            }
            done.forEach(ChaosRun::get);
        }
        checkpoint();
        for (String n : names) {
            report.undecided(Long.parseLong(nodes.command(n, "undecided")));
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
            sleepFor(Duration.ofNanos(left)); // the fault's duration is the scenario, not a wait for a result
        }
        lift(r.faults());
        checkpoint();
    }

    private void apply(Fault f) {
        switch (f) {
            case Fault.Kill k -> {
                collect(k.node()); // what it counted dies with it otherwise
                nodes.jvm(k.node()).kill9();
                killed.add(k.node());
            }
            case Fault.Freeze z -> {
                nodes.jvm(z.node()).freeze();
                frozen.add(z.node());
            }
            case Fault.Partition p -> cluster.faults().partition(p.sideA(), p.sideB());
            case Fault.Delay d -> cluster.faults().delay(d.a(), d.b(), d.delay());
            case Fault.Drop d -> cluster.faults().dropConnections(d.node());
            case Fault.KillTarget k -> nodes.command(k.node(), "kill-target");
        }
    }

    private void lift(List<Fault> faults) {
        cluster.faults().heal();
        for (Fault f : faults) {
            switch (f) {
                case Fault.Kill k -> {
                    List<NodeId> seeds = nodes.ids().entrySet().stream().filter(e -> !e.getKey().equals(k.node()))
                            .map(Map.Entry::getValue).toList();
                    JvmNode again = cluster.start(k.node(), settings.nodeOptions().toBuilder()
                            .seeds(seeds.toArray(NodeId[]::new)).build());
                    nodes.put(k.node(), again);
                    killed.remove(k.node());
                    startLoad(k.node());
                }
                case Fault.Freeze z -> {
                    nodes.jvm(z.node()).resume();
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
            JvmNode observer = nodes.jvm(w);
            Set<String> gone = new HashSet<>();
            for (String x : e.getValue()) {
                try {
                    observer.awaitEvent(NodeEvent.down(nodes.id(x)).and(NodeEvent.after(since)),
                            Duration.ofSeconds(DETECTION_SECONDS));
                    gone.add(x);
                    report.checked("node loss detected");
                } catch (AssertionError notSeen) {
                    if (nodes.lastEventIsDown(w, x)) {
                        // W had seen X go (a false down under load) just before the fault, and X
                        // had not come back: it is down at W, as the checks below need.
                        gone.add(x);
                        report.checked("node loss detected (down already)");
                    } else {
                        report.violation(round, "detection", w + " did not report " + x + " down within "
                                + DETECTION_SECONDS + " s of the fault; its events about it: " + nodes.lastEvents(w, x));
                    }
                }
            }
            if (gone.isEmpty()) {
                continue;
            }
            Supplier<List<String>> heldOnLost = () -> {
                List<String> held = new ArrayList<>();
                nodes.watching(w).forEach((peer, h) -> {
                    if (gone.contains(peer) && (!h.monitor().equals("-") || !h.link().equals("-"))) {
                        held.add(peer + ": " + h);
                    }
                });
                return held;
            };
            List<String> held = ChaosNodes.until(heldOnLost, List::isEmpty);
            if (!held.isEmpty()) {
                report.violation(round, "signals-on-loss", w + " still holds a monitor or link on a lost node's target "
                        + SETTLE_SECONDS + " s after seeing it down (no Down or Exit came): " + held);
            } else {
                report.checked("monitors and links released on loss");
            }
            Set<NodeId> goneIds = gone.stream().map(nodes::id).collect(Collectors.toSet());
            Supplier<List<String>> namesOfLost = () -> nodes.table(w).entrySet().stream()
                    .filter(n -> goneIds.contains(ChaosNodes.holderNode(n.getValue())))
                    .map(n -> n.getKey() + "=" + n.getValue()).toList();
            List<String> stale = ChaosNodes.until(namesOfLost, List::isEmpty);
            if (!stale.isEmpty()) {
                report.violation(round, "registry-on-loss", w + " still lists names of a lost node's processes "
                        + SETTLE_SECONDS + " s after seeing it down: " + stale);
            } else {
                report.checked("names of lost nodes dropped");
            }
        }
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
        if (!nodes.awaitFullMesh()) {
            report.violation(round, "heal", "no full mesh " + HEAL_SECONDS + " s after the faults were lifted: " + nodes.meshState());
            throw new IllegalStateException("the cluster did not heal; stopping the run (round " + round + "): " + nodes.meshState());
        }
        long meshMillis = millisSince(t0);
        report.healed(meshMillis);
        for (String n : names) {
            collect(n);
        }
        Map<String, String[]> refs = new HashMap<>();
        for (String n : names) {
            refs.put(n, ChaosNodes.parseRefs(nodes.command(n, "refs")));
        }
        Checkpoint checks = new Checkpoint(nodes, report, round, refs);
        long registryMillis = checks.registry();
        long signalsMillis = checks.signals();
        checks.memoryAndThreads();
        log("round " + round + " checkpoint: full mesh after " + meshMillis + " ms, registry converged in "
                + registryMillis + " ms, monitors and links settled in " + signalsMillis + " ms");
    }

    private void collect(String node) {
        JvmNode n = nodes.jvm(node);
        report.nodeReport(n.pid(), ChaosLedger.parse(nodes.command(node, "report")), round);
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static void sleepFor(Duration d) {
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
