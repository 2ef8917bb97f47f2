package io.noex.testkit.chaos;

import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.StartOptions;
import io.noex.distribution.ClusterMembership;
import io.noex.testkit.JvmNodeSetup;
import io.noex.testkit.chaos.ChaosMessages.Holdings;
import io.noex.testkit.chaos.ChaosMessages.Watch;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One node of the chaos suite, inside its own JVM: its processes ({@link EchoServer},
 * {@link CastSink}, {@link TargetServer}, {@link SignalWatcher}, {@link NameHolder}), its load
 * ({@link CallLoad}, {@link CastLoad}, {@link RegistryChurn}) and its {@link ChaosLedger}, driven
 * by the test's commands:
 *
 * <table class="striped">
 *   <caption>Commands</caption>
 *   <thead><tr><th>command</th><th>answer</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code start <nodeId,...> [key=value ...]}</td><td>{@code started}: the load begins
 *         towards those peers (keys: {@code callTimeoutMs callPauseMs asyncInFlight castPauseMs
 *         castBurst registryPauseMs})</td></tr>
 *     <tr><td>{@code report}</td><td>{@link ChaosLedger#report()}</td></tr>
 *     <tr><td>{@code stop-load}</td><td>{@code stopped}, once every call in flight ended</td></tr>
 *     <tr><td>{@code registry pause|resume}</td><td>{@code paused|resumed}</td></tr>
 *     <tr><td>{@code names}</td><td>the global table, {@link RegistryChurn#table}</td></tr>
 *     <tr><td>{@code refs}</td><td>{@code target=<id> holder=<id>}</td></tr>
 *     <tr><td>{@code watching}</td><td>{@code <peer>:monitor=<id|->,link=<id|-> ...}</td></tr>
 *     <tr><td>{@code kill-target}</td><td>stops the target with {@link SignalWatcher#KILL_REASON}
 *         and starts a new one; answers its id</td></tr>
 *     <tr><td>{@code undecided}</td><td>the cast gaps the sink still waits to judge</td></tr>
 *     <tr><td>{@code stats}</td><td>{@code heapAfterGc=<bytes> threads=<n> peakThreads=<n>
 *         processes=<n> stalledMs=<ms> longestStallMs=<ms>}, after a full GC</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Threading: {@link #command} runs on the child's main thread, one at a time; the load on
 * threads of its own.
 */
public final class ChaosNode implements JvmNodeSetup {

    private String self;
    private ChaosLedger ledger;
    private StallClock stalls;
    private GenServerRef target;
    private GenServerRef holder;
    private GenServerRef watcher;
    private long run;
    private CallLoad calls;
    private CastLoad casts;
    private RegistryChurn registry;

    /** Created by the child JVM. */
    public ChaosNode() {
    }

    @Override
    public void beforeStart(Node node) {
        self = node.name();
        ledger = new ChaosLedger(self);
        stalls = new StallClock();
        ChaosMessages.register(node);
        // Addressed by name, so they can start before the node has its NodeId, and must: a cast
        // that arrives before its sink exists would be lost.
        node.start(new EchoServer(self, ledger), StartOptions.builder().name(CallLoad.ECHO).build());
        node.start(new CastSink(ledger), StartOptions.builder().name(CastLoad.SINK).build());
    }

    @Override
    public void afterStart(Node node, ClusterMembership cluster) {
        // Their refs name the node, so they start once it has its NodeId.
        run = System.nanoTime();
        target = startTarget(node);
        holder = node.start(new NameHolder(ledger), StartOptions.builder().name(NameHolder.NAME).build());
        watcher = node.start(new SignalWatcher(self, ledger),
                StartOptions.builder().name(SignalWatcher.NAME).trapExit(true).build());
    }

    private static GenServerRef startTarget(Node node) {
        return node.start(new TargetServer(), StartOptions.builder().name(TargetServer.NAME).trapExit(true).build());
    }

    @Override
    public String command(Node node, String line) {
        String[] words = line.trim().split(" +");
        return switch (words[0]) {
            case "start" -> start(node, words);
            case "report" -> ledger.report();
            case "stop-load" -> stopLoad();
            case "registry" -> registry(words);
            case "names" -> RegistryChurn.table(node);
            case "refs" -> "target=" + target.id() + " holder=" + holder.id();
            case "watching" -> watching(node);
            case "kill-target" -> killTarget(node);
            case "stats" -> stats(node);
            case "undecided" -> String.valueOf(node.<Object>call(new GenServerRef(CastLoad.SINK, node.nodeId()), "undecided"));
            default -> throw new IllegalArgumentException("unknown chaos command: " + line);
        };
    }

    private String start(Node node, String[] words) {
        if (calls != null) {
            throw new IllegalStateException("the load runs already");
        }
        List<NodeId> peers = Arrays.stream(words[1].split(",")).map(NodeId::parse)
                .filter(id -> !id.name().equals(self)).toList();
        Map<String, Long> p = new HashMap<>(Map.of("callTimeoutMs", 2000L, "callPauseMs", 50L, "asyncInFlight", 4L,
                "castPauseMs", 20L, "castBurst", 2L, "registryPauseMs", 100L));
        for (int i = 2; i < words.length; i++) {
            String[] kv = words[i].split("=", 2);
            if (kv.length != 2 || !p.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown load setting: " + words[i] + " (known: " + p.keySet() + ")");
            }
            p.put(kv[0], Long.parseLong(kv[1]));
        }
        node.cast(watcher, new Watch(peers.stream().map(id -> new GenServerRef(TargetServer.NAME, id)).toList()));
        calls = new CallLoad(node, self, peers, Duration.ofMillis(p.get("callTimeoutMs")),
                Duration.ofMillis(p.get("callPauseMs")), p.get("asyncInFlight").intValue(), ledger, stalls);
        casts = new CastLoad(node, self, run, peers, Duration.ofMillis(p.get("castPauseMs")),
                p.get("castBurst").intValue(), ledger);
        registry = new RegistryChurn(node, self, holder, Duration.ofMillis(p.get("registryPauseMs")), ledger);
        calls.start();
        casts.start();
        registry.start();
        return "started";
    }

    private String stopLoad() {
        if (calls == null) {
            return "stopped";
        }
        registry.close();
        casts.close();
        calls.close();
        return "stopped";
    }

    private String registry(String[] words) {
        if (registry == null || words.length != 2) {
            throw new IllegalStateException("registry pause|resume, once the load runs");
        }
        switch (words[1]) {
            case "pause" -> registry.pause();
            case "resume" -> registry.resume();
            default -> throw new IllegalArgumentException("registry pause|resume, not " + words[1]);
        }
        return words[1].equals("pause") ? "paused" : "resumed";
    }

    private String watching(Node node) {
        Map<String, String> held = node.call(watcher, new Holdings(), Duration.ofSeconds(5));
        return held.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(" "));
    }

    private String killTarget(Node node) {
        node.stop(target, ExitReason.error(SignalWatcher.KILL_REASON));
        ledger.count("targets.killed");
        target = startTarget(node);
        return target.id();
    }

    private String stats(Node node) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.gc();
        System.gc();
        List<String> out = new ArrayList<>();
        out.add("heapAfterGc=" + memory.getHeapMemoryUsage().getUsed());
        out.add("threads=" + threads.getThreadCount());
        out.add("peakThreads=" + threads.getPeakThreadCount());
        out.add("processes=" + node.processCount());
        out.add("stalledMs=" + TimeUnit.NANOSECONDS.toMillis(stalls.totalNanos()));
        out.add("longestStallMs=" + TimeUnit.NANOSECONDS.toMillis(stalls.longestNanos()));
        out.add("callsInFlight=" + (calls == null ? 0 : calls.inFlight()));
        return String.join(" ", out);
    }
}
