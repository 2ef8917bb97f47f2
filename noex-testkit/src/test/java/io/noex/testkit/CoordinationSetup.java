package io.noex.testkit;

import io.noex.CallResult;
import io.noex.Down;
import io.noex.Exit;
import io.noex.ExitReason;
import io.noex.GenServer;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.StartOptions;
import io.noex.distribution.BehaviorRegistry;
import io.noex.distribution.ConflictAction;
import io.noex.distribution.GlobalNameConflict;
import io.noex.distribution.GlobalNameConflictException;
import io.noex.distribution.GlobalNames;
import io.noex.distribution.GlobalRegistryStats;
import io.noex.distribution.RemoteMonitor;
import io.noex.distribution.RemoteSignalStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * The code the coordination tests run inside each node's JVM ({@link JvmNodeSetup}): it hosts
 * {@link Recorder} processes (which log every info message they receive) and answers commands
 * about global names, monitors, links and the internal table sizes. Refs travel as their
 * {@code toString()} ({@code id@name@host:port}); see {@link #ref(String)}.
 *
 * <table class="striped">
 *   <caption>Commands</caption>
 *   <thead><tr><th>command</th><th>answer</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code spawn [trap]}</td><td>a new recorder's ref</td></tr>
 *     <tr><td>{@code stop REF normal|shutdown|kill|crash}</td><td>{@code ok}</td></tr>
 *     <tr><td>{@code spawn-doomed COUNT AFTER_MS OVER_MS}</td><td>the refs of COUNT recorders, which
 *         are killed one by one, spread from AFTER_MS to AFTER_MS + OVER_MS from now</td></tr>
 *     <tr><td>{@code alive REF}</td><td>{@code true} or {@code false}</td></tr>
 *     <tr><td>{@code infos REF}</td><td>the info messages it received, joined by {@code " | "}</td></tr>
 *     <tr><td>{@code register NAME REF [EXIT|MESSAGE]}</td><td>{@code ok}, or {@code conflict HOLDER}</td></tr>
 *     <tr><td>{@code contend NAME EPOCH_MILLIS}</td><td>starts a trapping recorder, waits for that
 *         wall-clock instant (only to start the nodes together; the registry reads no clock), then
 *         registers it: {@code ok REF} or {@code refused REF HOLDER}</td></tr>
 *     <tr><td>{@code unregister NAME}</td><td>{@code true} or {@code false}</td></tr>
 *     <tr><td>{@code whereis NAME}</td><td>a ref or {@code none}</td></tr>
 *     <tr><td>{@code monitor WATCHER TARGET}</td><td>the monitor's id ({@code GenServer.monitor})</td></tr>
 *     <tr><td>{@code link LOCAL REMOTE}</td><td>{@code ok}</td></tr>
 *     <tr><td>{@code register-many COUNT PREFIX PER_PROCESS}</td><td>registers COUNT names, PER_PROCESS to
 *         a process; answers the milliseconds it took</td></tr>
 *     <tr><td>{@code stats}</td><td>{@code key=value} pairs: the registry's and the signals' tables, processes, monitors</td></tr>
 *   </tbody>
 * </table>
 */
public final class CoordinationSetup implements JvmNodeSetup {

    /** The behavior name under which nodes running this setup host recorders (for RemoteSpawn). */
    public static final String RECORDER = "recorder";

    private final Recorder recorder = new Recorder();

    /** Created by the child JVM. */
    public CoordinationSetup() {
    }

    /**
     * A process that logs every info message it receives, readably; its log outlives it. Cast
     * {@code "crash"} to make it crash.
     */
    public static final class Recorder implements GenServerBehavior<List<String>> {
        private final Map<String, List<String>> logs = new ConcurrentHashMap<>();

        /** A recorder with its own table of logs. */
        public Recorder() {
        }

        @Override
        public List<String> init(List<Object> args) {
            List<String> log = new CopyOnWriteArrayList<>();
            logs.put(GenServer.self().id(), log);
            return log;
        }

        @Override
        public CallResult<List<String>> handleCall(Object msg, List<String> log) {
            return CallResult.reply("ok", log);
        }

        @Override
        public List<String> handleCast(Object msg, List<String> log) {
            if ("crash".equals(msg)) {
                throw new IllegalStateException("crashed on purpose");
            }
            return log;
        }

        @Override
        public List<String> handleInfo(Object msg, List<String> log) {
            log.add(describe(msg));
            return log;
        }

        /**
         * @param ref a recorder this behavior started
         * @return what it received, in order (empty if it never existed)
         */
        public List<String> log(GenServerRef ref) {
            return List.copyOf(logs.getOrDefault(ref.id(), List.of()));
        }

        /** Forgets the logs of processes that are gone (long churns). */
        void forget(GenServerRef ref) {
            logs.remove(ref.id());
        }
    }

    /**
     * @param msg an info message
     * @return it in one line: {@code down MONITOR_ID REF REASON}, {@code exit FROM REASON},
     *     {@code conflict NAME WINNER}, or its {@code toString()}
     */
    public static String describe(Object msg) {
        return switch (msg) {
            case Down d -> "down " + d.monitorRef().id() + " " + d.ref() + " " + d.reason();
            case Exit e -> "exit " + e.from() + " " + e.reason();
            case GlobalNameConflict c -> "conflict " + c.name() + " " + c.winner();
            default -> String.valueOf(msg);
        };
    }

    /**
     * @param text a ref's {@code toString()}
     * @return the ref
     */
    public static GenServerRef ref(String text) {
        int at = text.indexOf('@');
        if (at <= 0) {
            throw new IllegalArgumentException("not a ref: " + text);
        }
        return new GenServerRef(text.substring(0, at), NodeId.parse(text.substring(at + 1)));
    }

    /**
     * @param node a clustered node
     * @return its table sizes as {@code key=value} pairs, as the {@code stats} command answers
     */
    public static String stats(Node node) {
        GlobalRegistryStats g = GlobalNames.of(node).stats();
        RemoteSignalStats s = RemoteMonitor.stats(node);
        return "names=" + g.names() + " tombstones=" + g.tombstones() + " nameMonitors=" + g.processMonitors()
                + " held=" + s.monitorsHeld() + " served=" + s.monitorsServed() + " links=" + s.links()
                + " processes=" + node.processCount() + " monitors=" + node.stats().monitors()
                + " ignoredSignals=" + s.ignoredSignals() + " ignoredEntries=" + g.ignoredEntries() + " waiting=" + g.waiting();
    }

    @Override
    public void beforeStart(Node node) {
        BehaviorRegistry.register(node, RECORDER, recorder);
    }

    @Override
    public String command(Node node, String command) {
        String[] w = command.trim().split(" ");
        return switch (w[0]) {
            case "spawn" -> node.start(recorder, StartOptions.builder()
                    .trapExit(w.length > 1 && w[1].equals("trap")).build()).toString();
            case "stop" -> stop(node, ref(w[1]), w[2]);
            case "alive" -> Boolean.toString(node.isRunning(ref(w[1])));
            case "infos" -> String.join(" | ", recorder.log(ref(w[1])));
            case "register" -> register(node, w[1], ref(w[2]), w.length > 3 ? ConflictAction.valueOf(w[3]) : ConflictAction.EXIT);
            case "contend" -> contend(node, w[1], Long.parseLong(w[2]));
            case "unregister" -> Boolean.toString(GlobalNames.of(node).unregister(w[1]));
            case "whereis" -> GlobalNames.of(node).whereis(w[1]).map(GenServerRef::toString).orElse("none");
            case "monitor" -> Long.toString(node.monitor(ref(w[1]), ref(w[2])).id());
            case "link" -> {
                node.link(ref(w[1]), ref(w[2]));
                yield "ok";
            }
            case "spawn-doomed" -> spawnDoomed(node, Integer.parseInt(w[1]), Long.parseLong(w[2]), Long.parseLong(w[3]));
            case "register-many" -> registerMany(node, Integer.parseInt(w[1]), w[2], Integer.parseInt(w[3]));
            case "stats" -> stats(node);
            default -> throw new IllegalArgumentException("unknown command: " + command);
        };
    }

    /**
     * Starts {@code count} recorders and kills them one after another, spread evenly from
     * {@code afterMillis} to {@code afterMillis + overMillis} from now (on a thread of their own),
     * so that monitors set up meanwhile meet targets that are alive, dying and gone.
     */
    private String spawnDoomed(Node node, int count, long afterMillis, long overMillis) {
        List<GenServerRef> doomed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            doomed.add(node.start(recorder));
        }
        long start = System.nanoTime() + afterMillis * 1_000_000;
        long step = overMillis * 1_000_000 / Math.max(1, count);
        Thread.ofVirtual().name("doom").start(() -> {
            for (int i = 0; i < doomed.size(); i++) {
                long wait = start + i * step - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                node.kill(doomed.get(i));
            }
        });
        return String.join(" ", doomed.stream().map(GenServerRef::toString).toList());
    }

    private static String stop(Node node, GenServerRef ref, String how) {
        switch (how) {
            case "normal" -> node.stop(ref);
            case "shutdown" -> node.stop(ref, ExitReason.shutdown());
            case "kill" -> node.kill(ref);
            case "crash" -> node.cast(ref, "crash");
            default -> throw new IllegalArgumentException("stop how? " + how);
        }
        return "ok";
    }

    private static String register(Node node, String name, GenServerRef ref, ConflictAction action) {
        try {
            GlobalNames.of(node).register(name, ref, action);
            return "ok";
        } catch (GlobalNameConflictException e) {
            return "conflict " + e.holder();
        }
    }

    private String contend(Node node, String name, long atEpochMillis) {
        GenServerRef p = node.start(recorder, StartOptions.builder().trapExit(true).build());
        // Only to make the nodes register together; no clock takes part in choosing the winner.
        while (System.currentTimeMillis() < atEpochMillis) {
            LockSupport.parkNanos(100_000);
        }
        try {
            GlobalNames.of(node).register(name, p);
            return "ok " + p;
        } catch (GlobalNameConflictException e) {
            return "refused " + p + " " + e.holder();
        }
    }

    private String registerMany(Node node, int count, String prefix, int perProcess) {
        long t0 = System.nanoTime();
        List<GenServerRef> processes = new ArrayList<>();
        GlobalNames names = GlobalNames.of(node);
        for (int i = 0; i < count; i++) {
            if (i % perProcess == 0) {
                processes.add(node.start(recorder));
            }
            names.register(prefix + i, processes.getLast());
        }
        return Long.toString((System.nanoTime() - t0) / 1_000_000);
    }
}
