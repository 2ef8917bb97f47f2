package io.noex.testkit.chaos;

import io.noex.NodeId;
import io.noex.testkit.JvmNode;
import io.noex.testkit.NodeEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The test's side of the chaos nodes: the JVM currently running each node, and the {@link ChaosNode}
 * commands, read back into values ({@link #watching}, {@link #table}, {@link #refs}, ...), plus
 * the mesh and event queries {@link ChaosRun} checks with.
 *
 * <p>Threading: confined to the test's thread (node starts hand their result back to it).
 */
final class ChaosNodes {

    static final int SETTLE_SECONDS = 10;
    static final int HEAL_SECONDS = 30;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);

    private final List<String> names;
    private final Map<String, JvmNode> jvms = new LinkedHashMap<>();
    private final Map<String, NodeId> ids = new LinkedHashMap<>();

    /** @param names the nodes' names */
    ChaosNodes(List<String> names) {
        this.names = List.copyOf(names);
    }

    /** @return the nodes' names, in order */
    List<String> names() {
        return names;
    }

    /**
     * @param name a node
     * @param jvm the JVM that runs it now (its NodeId never changes)
     */
    void put(String name, JvmNode jvm) {
        jvms.put(name, jvm);
        ids.put(name, jvm.nodeId());
    }

    /** @return the JVM that runs {@code name} now */
    JvmNode jvm(String name) {
        return jvms.get(name);
    }

    /** @return the NodeId of {@code name} */
    NodeId id(String name) {
        return ids.get(name);
    }

    /** @return every node's NodeId, by name */
    Map<String, NodeId> ids() {
        return ids;
    }

    /** A watcher's holdings on one peer: the target ids its monitor and link are on, or "-". */
    record Holding(String monitor, String link) {
    }

    /** @return what {@code node}'s watcher holds on each peer (the {@code watching} command) */
    Map<String, Holding> watching(String node) {
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

    /** @return {@code node}'s global table, name to {@code id@nodeId} (the {@code names} command) */
    Map<String, String> table(String node) {
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
    static NodeId holderNode(String holder) {
        return NodeId.parse(holder.substring(holder.indexOf('@') + 1));
    }

    /** @return the target and holder ids of a {@code refs} answer, in that order */
    static String[] parseRefs(String line) {
        Map<String, String> kv = new HashMap<>();
        for (String part : line.trim().split(" ")) {
            String[] p = part.split("=", 2);
            kv.put(p[0], p[1]);
        }
        return new String[] {kv.get("target"), kv.get("holder")};
    }

    /** @return the numbers of a {@code key=value ...} answer */
    static Map<String, Long> keyValues(String line) {
        Map<String, Long> kv = new HashMap<>();
        for (String part : line.trim().split(" ")) {
            String[] p = part.split("=", 2);
            kv.put(p[0], Long.parseLong(p[1]));
        }
        return kv;
    }

    /** @return {@code node}'s answer to a {@link ChaosNode} command (waits at most 15 s) */
    String command(String node, String command) {
        return jvms.get(node).command(command, COMMAND_TIMEOUT);
    }

    /** @return whether every node reported every other connected within {@value #HEAL_SECONDS} s */
    boolean awaitFullMesh() {
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
    String meshState() {
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

    /** @return the last events {@code observer} reported about {@code about}, with their age */
    List<String> lastEvents(String observer, String about) {
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
    static <T> T until(Supplier<T> value, Predicate<T> done) {
        return until(value, done, SETTLE_SECONDS);
    }

    /** Polls {@code value} until {@code done} holds or {@code seconds} pass; returns the last value. */
    static <T> T until(Supplier<T> value, Predicate<T> done, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            T v = value.get();
            if (done.test(v) || System.nanoTime() > deadline) {
                return v;
            }
            sleep(Duration.ofMillis(50));
        }
    }

    /** @return whether the last event {@code observer} reported about {@code about} is a down */
    boolean lastEventIsDown(String observer, String about) {
        List<NodeEvent> events = jvms.get(observer).events().stream().filter(e -> e.node().equals(ids.get(about))).toList();
        return !events.isEmpty() && events.get(events.size() - 1).kind() == NodeEvent.Kind.DOWN;
    }

    /** Sleeps; an interrupt ends the run. */
    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
