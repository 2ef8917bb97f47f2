package io.noex.cli.demo;

import io.noex.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The node JVMs of the cluster demo and what they report. It starts them, narrates their events
 * as they arrive ({@link #awaitEvents}), remembers every event so an act can wait for a set of
 * them, and ends every JVM in every exit path: {@link #close()} asks each node still running to
 * leave and exit, then kills what is left; a JVM shutdown hook (Ctrl-C, SIGTERM) kills them all;
 * and each node exits by itself when this JVM vanishes (its stdin ends).
 *
 * <p>Event times are printed relative to a {@linkplain #mark mark} the act sets just before it
 * triggers what the events follow from ("12.3 ms after the kill").
 *
 * <p>Threading: the demo's thread only; the nodes' reader threads only add to the event queue.
 */
final class DemoCluster implements AutoCloseable {

    private final Narrator narrator;
    private final BlockingQueue<DemoEvent> queue = new LinkedBlockingQueue<>();
    private final List<DemoEvent> seen = new ArrayList<>();
    private final Map<String, DemoNode> nodes = new LinkedHashMap<>();
    private final Map<String, String> seedOf = new LinkedHashMap<>();
    private final Set<String> expectedExits = new HashSet<>();
    private final List<String> jvmOptions;
    private final Thread killOnExit;
    private long markNanos = System.nanoTime();
    private String markLabel = "the start";

    /**
     * @param narrator where events are narrated
     * @param jvmOptions extra options for every node JVM
     */
    DemoCluster(Narrator narrator, List<String> jvmOptions) {
        this.narrator = narrator;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.killOnExit = new Thread(this::destroyAll, "noex-demo-kill-nodes");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts a node's JVM (it joins no cluster yet).
     *
     * @param name the node's name
     * @return the node
     */
    DemoNode launch(String name) {
        DemoNode node = DemoNode.launch(name, queue, jvmOptions);
        nodes.put(name, node);
        return node;
    }

    /**
     * Has a started node join the cluster.
     *
     * @param node the node
     * @param seed the node it joins through; null for none
     * @return its NodeId
     */
    NodeId join(DemoNode node, DemoNode seed, Duration timeout) throws InterruptedException {
        if (seed != null) {
            seedOf.put(node.name(), seed.name());
        }
        return node.joinCluster(seed == null ? null : seed.nodeId(), timeout);
    }

    /** @return the options of every node JVM: the demo's own, then the extra ones */
    List<String> jvmOptions() {
        List<String> all = new ArrayList<>(DemoNode.JVM_OPTIONS);
        all.addAll(jvmOptions);
        return all;
    }

    /** @return the node called {@code name} */
    DemoNode node(String name) {
        DemoNode n = nodes.get(name);
        if (n == null) {
            throw new DemoFailure("node " + name + " was never started");
        }
        return n;
    }

    /** @return the nodes, in start order */
    List<DemoNode> nodes() {
        return List.copyOf(nodes.values());
    }

    /**
     * Sets the point event times are measured from.
     *
     * @param label what happened at that point, e.g. {@code "the kill"}
     */
    void mark(String label) {
        markNanos = System.nanoTime();
        markLabel = label;
    }

    /** @return the nanoTime of the current mark */
    long markNanos() {
        return markNanos;
    }

    /** Says that {@code name}'s JVM is meant to end (it is about to be killed). */
    void expectExit(String name) {
        expectedExits.add(name);
    }

    /**
     * Narrates arriving events until the events seen so far satisfy {@code done}.
     *
     * @param what what is awaited, for the failure message
     * @param timeout how long to wait
     * @param done tested against every event seen since the demo started
     * @throws DemoFailure if it is not satisfied in time, or a node's JVM ended unexpectedly
     */
    void awaitEvents(String what, Duration timeout, Predicate<List<DemoEvent>> done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        drain();
        while (!done.test(seen)) {
            DemoEvent e = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new DemoFailure("gave up after " + timeout.toMillis() + " ms waiting for " + what);
            }
            record(e);
        }
    }

    /** Narrates the events that have arrived, without waiting. */
    void drain() throws InterruptedException {
        for (DemoEvent e = queue.poll(); e != null; e = queue.poll()) {
            record(e);
        }
    }

    /**
     * @param node a node's name
     * @param kind an event kind
     * @return the events of that kind from that node, in order
     */
    List<DemoEvent> events(String node, String kind) {
        return seen.stream().filter(e -> e.node().equals(node) && e.kind().equals(kind)).toList();
    }

    /** @return the first event from {@code node} of {@code kind} whose first field is {@code arg0} */
    Optional<DemoEvent> event(String node, String kind, String arg0) {
        return seen.stream().filter(e -> e.node().equals(node) && e.kind().equals(kind) && e.arg(0).equals(arg0)).findFirst();
    }

    private void record(DemoEvent e) throws InterruptedException {
        seen.add(e);
        narrate(e);
        if (e.kind().equals("exited") && !expectedExits.contains(e.node())) {
            DemoNode n = node(e.node());
            n.awaitExit(Duration.ofSeconds(2)); // its stdout ends a moment before the process does
            throw n.failure("its JVM exited unexpectedly" + (n.isAlive() ? "" : " with code " + n.exitCode())
                    + "; its last output:\n" + n.outputTail());
        }
    }

    private void narrate(DemoEvent e) {
        String at = "[" + e.node() + "] ";
        String since = " (" + DemoScript.millis(Duration.ofNanos(e.atNanos() - markNanos)) + " after " + markLabel + ")";
        switch (e.kind()) {
            case "up" -> narrator.say(at + "node up    " + e.arg(0) + howMet(e.node(), e.arg(0)));
            case "down" -> narrator.say(at + "node down  " + e.arg(0) + " (" + e.arg(1) + ")" + since);
            case "registered" -> narrator.say(at + "GlobalRegistry: '" + e.arg(0) + "' -> " + e.arg(1) + since);
            case "monitor-down" -> narrator.say(at + "monitor fired: " + e.arg(0) + " exited, reason "
                    + String.join(" ", e.args().subList(1, e.args().size())) + since);
            case "node-failure" -> narrator.say(at + "supervisor: lost " + e.arg(0) + ", which ran "
                    + e.arg(1).replace(",", ", ") + since);
            case "migrated" -> narrator.say(at + "supervisor: " + e.arg(0) + " moved from " + nameOf(e.arg(1)) + " to "
                    + nameOf(e.arg(2)) + " as " + e.arg(3) + since);
            case "supervisor" -> { } // started/stopped/restarted: the acts show the children instead
            case "exited" -> {
                if (expectedExits.contains(e.node())) {
                    narrator.say(at + "its JVM is gone" + since);
                }
            }
            default -> narrator.say(at + e.kind() + " " + String.join(" ", e.args()));
        }
    }

    /** Says how {@code reporter} came to meet {@code peer}: a seed, or gossip. */
    private String howMet(String reporter, String peer) {
        String p = nameOf(peer);
        if (p.equals(seedOf.get(reporter))) {
            return "  (its seed)";
        }
        if (reporter.equals(seedOf.get(p))) {
            return "  (" + p + " joined through " + reporter + ")";
        }
        return "  <- gossip: neither node was given the other as a seed";
    }

    /** @return the node name in a NodeId string ({@code b@127.0.0.1:4370} gives {@code b}) */
    static String nameOf(String nodeId) {
        int at = nodeId.indexOf('@');
        return at < 0 ? nodeId : nodeId.substring(0, at);
    }

    /** @return the last output of every node, for a failure report */
    String outputTails() {
        StringBuilder b = new StringBuilder();
        for (DemoNode n : nodes.values()) {
            String tail = n.outputTail();
            if (!tail.isBlank()) {
                b.append("--- ").append(n).append(", last output:\n").append(tail).append('\n');
            }
        }
        return b.toString().stripTrailing();
    }

    private void destroyAll() {
        for (DemoNode n : nodes.values()) {
            n.kill9();
        }
    }

    /**
     * Asks every node still running to leave the cluster and exit, kills those that do not, and
     * removes the shutdown hook.
     */
    @Override
    public void close() {
        try {
            expectedExits.addAll(nodes.keySet());
            for (DemoNode n : nodes.values()) {
                n.close();
            }
        } finally {
            destroyAll();
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs anyway, and kills what we already killed
            }
        }
    }
}
