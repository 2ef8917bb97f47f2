package io.noex.cli.demo;

import static io.noex.cli.demo.DemoFailure.expect;

import io.noex.GenServerRef;
import io.noex.NodeId;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The guided multi-JVM demo behind {@code noex demo}: three nodes, each a JVM of its own started
 * from this one ({@link DemoNode}) on 127.0.0.1, form a cluster, and six acts show what the
 * library does across them, each step narrated as it happens:
 *
 * <ol>
 *   <li>the JVMs start at once; a forms a cluster, b joins through a, c through b only, and c
 *       and a find each other by gossip;</li>
 *   <li>a spawns the {@code counter} behavior on b by name; a and c cast to it and call it;</li>
 *   <li>c registers an echo server under a global name; a and b learn it and call it;</li>
 *   <li>a monitors b's counter; b stops it; a's monitor fires;</li>
 *   <li>a starts a DistributedSupervisor with six workers, placed round-robin on a, b and c; c
 *       calls each of them;</li>
 *   <li>b's JVM is killed with SIGKILL ({@code kill -9}); a and c see it go, the supervisor
 *       starts b's workers again on a and c, and the time this took is shown;</li>
 * </ol>
 * then a summary table and the figures measured. Each act checks what it narrates and builds on
 * the ones before, so the first failure ends the demo ({@link DemoScript#chained}), and the
 * command's exit code names it. Every wait has a deadline; no JVM outlives the demo
 * ({@link DemoCluster}).
 *
 * <p>Threading: {@link #run} plays the acts on the calling thread.
 */
public final class ClusterDemo {

    private static final Duration JVM_START = Duration.ofSeconds(40);
    private static final Duration JOIN = Duration.ofSeconds(15);
    private static final Duration MESH = Duration.ofSeconds(20);
    private static final Duration COMMAND = Duration.ofSeconds(15);
    private static final Duration PROPAGATION = Duration.ofSeconds(10);
    private static final Duration MIGRATION = Duration.ofSeconds(15);

    /** Workers of the act (5) supervisor: two per node. */
    private static final int WORKERS = 6;

    /** A worker's job: count the primes up to this bound. */
    private static final String JOB = "100000";

    private final DemoCluster cluster;
    private final Narrator n;
    private final Map<String, String> figures = new LinkedHashMap<>();
    private DemoNode a;
    private DemoNode b;
    private DemoNode c;
    private GenServerRef counter;
    /** Child id to ref, as act (5) placed them. */
    private Map<String, GenServerRef> workers = Map.of();

    private ClusterDemo(DemoCluster cluster, Narrator narrator) {
        this.cluster = cluster;
        this.n = narrator;
    }

    /**
     * Plays the demo, narrating to {@code out}.
     *
     * @param out where the narration goes
     * @param jvmOptions options added to each node JVM's command line, after the demo's own
     *     ({@link DemoNode#JVM_OPTIONS}), so they win
     * @return how each act went
     */
    public static DemoResult run(PrintWriter out, List<String> jvmOptions) {
        long start = System.nanoTime();
        Narrator n = new Narrator(out, start);
        n.line("noex demo: three JVMs on 127.0.0.1 form a cluster, act by act");
        n.line("each node (a, b, c) is a JVM of its own, started from this one with its java and class path;");
        n.line("each line starts with the seconds since the demo started; [x] marks what node x reported");
        List<ActResult> results;
        ClusterDemo demo;
        try (DemoCluster cluster = new DemoCluster(n, jvmOptions)) {
            demo = new ClusterDemo(cluster, n);
            results = demo.script().play(n);
            if (results.stream().anyMatch(r -> !r.succeeded())) {
                n.blank();
                n.line(cluster.outputTails());
            }
            n.blank();
            n.say("the demo ends: the node JVMs still running leave the cluster and exit");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        DemoScript.summarize(results, took, n);
        demo.printFigures();
        return new DemoResult(results, took);
    }

    private DemoScript script() {
        return DemoScript.chained(List.of(
                new Act("1", "Three JVMs find each other by gossip", this::discovery),
                new Act("2", "Spawn on b by behavior name; a and c call it", this::spawnAndCall),
                new Act("3", "A global name registered on c, resolved everywhere", this::globalName),
                new Act("4", "A monitor on a fires when b's process stops", this::monitor),
                new Act("5", "A DistributedSupervisor: workers on all three nodes", this::supervisor),
                new Act("6", "kill -9 of b: its workers move to a and c", this::killB)));
    }

    // ------------------------------------------------------------------ (1)

    private void discovery(Narrator n) throws InterruptedException {
        n.say("starting three JVMs at once, each: java " + String.join(" ", cluster.jvmOptions()) + " -cp <this class path> "
                + DemoNodeMain.class.getName());
        a = cluster.launch("a");
        b = cluster.launch("b");
        c = cluster.launch("c");
        Duration slowest = Duration.ZERO;
        for (DemoNode node : cluster.nodes()) {
            Duration took = node.awaitHello(JVM_START);
            n.say("JVM of node " + node.name() + " is up: pid " + node.pid() + ", " + DemoScript.duration(took) + " after launch");
            slowest = took.compareTo(slowest) > 0 ? took : slowest;
        }
        figures.put("three JVMs started at once: the slowest", DemoScript.duration(slowest));

        cluster.join(a, null, JOIN);
        n.say("a: Cluster.start(...) -> " + a.nodeId() + "  (no seeds: a cluster of one)");
        cluster.join(b, a, JOIN);
        n.say("b: Cluster.start(... .seeds(\"" + a.nodeId() + "\")) -> " + b.nodeId());
        cluster.awaitEvents("a and b to see each other", MESH, seen -> sees(a, b) && sees(b, a));
        cluster.join(c, b, JOIN);
        cluster.mark("c joined");
        n.say("c: Cluster.start(... .seeds(\"" + b.nodeId() + "\")) -> " + c.nodeId() + "  (c is told of b only)");
        cluster.awaitEvents("every node to see the other two", MESH, seen -> meshed());
        Duration mesh = Duration.ofNanos(System.nanoTime() - cluster.markNanos());
        n.say("full mesh: every node is connected to the other two, " + DemoScript.duration(mesh)
                + " after c's Cluster.start returned");
        figures.put("full mesh, after c's Cluster.start returned", DemoScript.duration(mesh));
    }

    private boolean meshed() {
        for (DemoNode x : List.of(a, b, c)) {
            for (DemoNode y : List.of(a, b, c)) {
                if (x != y && !sees(x, y)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** @return true once {@code x} reported {@code y} up */
    private boolean sees(DemoNode x, DemoNode y) {
        return cluster.event(x.name(), "up", y.nodeId().toString()).isPresent();
    }

    // ------------------------------------------------------------------ (2)

    private void spawnAndCall(Narrator n) throws InterruptedException {
        String[] spawned = a.request(COMMAND, "spawn", "counter", b.nodeId().toString()).split(" ");
        counter = DemoWire.ref(spawned[0]);
        n.say("a: RemoteSpawn.spawn(\"counter\", b) -> " + counter + "  (" + micros(spawned[1]) + ")");
        expect(counter.nodeId().equals(b.nodeId()), "the counter should run on b, runs on " + counter.nodeId());

        a.request(COMMAND, "increment", DemoWire.ref(counter), "5");
        n.say("a: GenServer.cast(counter, new Counter.Increment(5))");
        int fromA = callGet(a, "a");
        expect(fromA == 5, "the counter should read 5 after a's Increment(5), reads " + fromA);

        c.request(COMMAND, "increment", DemoWire.ref(counter), "10");
        n.say("c: GenServer.cast(counter, new Counter.Increment(10))  (c got the ref as a plain value)");
        int fromC = callGet(c, "c");
        expect(fromC == 15, "c should read 15 (a's 5 and its own 10), reads " + fromC);
        n.detail("one process on b, one state: the same ref works from every node");
    }

    private int callGet(DemoNode from, String name) throws InterruptedException {
        String[] got = from.request(COMMAND, "get", DemoWire.ref(counter)).split(" ");
        n.say(name + ": GenServer.call(counter, new Counter.Get()) -> " + got[0] + "  (" + micros(got[1]) + ", "
                + name + " -> b -> " + name + ")");
        figures.put("first call " + name + " -> b -> " + name + " (cold JVMs)", micros(got[1]));
        return Integer.parseInt(got[0]);
    }

    // ------------------------------------------------------------------ (3)

    private void globalName(Narrator n) throws InterruptedException {
        GenServerRef echo = DemoWire.ref(c.request(COMMAND, "start-echo"));
        n.say("c: GenServer.start(echo) -> " + echo);
        cluster.mark("c registered it");
        c.request(COMMAND, "register", "greeter", DemoWire.ref(echo));
        n.say("c: GlobalRegistry.register(\"greeter\", echo)");
        cluster.awaitEvents("a and b to learn the name 'greeter'", PROPAGATION, seen ->
                cluster.event("a", "registered", "greeter").isPresent() && cluster.event("b", "registered", "greeter").isPresent());
        long last = Math.max(cluster.event("a", "registered", "greeter").orElseThrow().atNanos(),
                cluster.event("b", "registered", "greeter").orElseThrow().atNanos());
        figures.put("a global name reaches every node", DemoScript.millis(Duration.ofNanos(last - cluster.markNanos())));

        for (DemoNode x : List.of(a, b)) {
            String found = x.request(COMMAND, "whereis", "greeter");
            n.say(x.name() + ": GlobalRegistry.whereis(\"greeter\") -> " + found);
            expect(found.equals(DemoWire.ref(echo)), x.name() + " should resolve 'greeter' to " + echo + ", got " + found);
            String[] pong = x.request(COMMAND, "ping", found, "hello-from-" + x.name()).split(" ");
            n.say(x.name() + ": GenServer.call(greeter, new Echo.Ping(\"hello-from-" + x.name() + "\")) -> Pong from "
                    + pong[0] + "  (" + micros(pong[1]) + ")");
            expect(pong[0].equals(c.nodeId().toString()), "the echo on c should answer, " + pong[0] + " did");
        }
    }

    // ------------------------------------------------------------------ (4)

    private void monitor(Narrator n) throws InterruptedException {
        String ref = DemoWire.ref(counter);
        a.request(COMMAND, "monitor", ref);
        n.say("a: RemoteMonitor.monitor(counter, (ref, reason) -> ...)  (the counter runs on b)");
        // The monitor request travels to b on its own, as in Erlang: were b to stop the counter
        // before it arrived, the monitor would fire noproc. A call from a follows it on the same
        // connection, so once the call returns the monitor is in place on b.
        String value = a.request(COMMAND, "get", ref).split(" ")[0];
        n.say("a: GenServer.call(counter, new Counter.Get()) -> " + value
                + "  (sent after the monitor request: the monitor is in place on b)");
        cluster.mark("b stopped it");
        b.request(COMMAND, "stop", ref);
        n.say("b: GenServer.stop(counter)");
        cluster.awaitEvents("a's monitor on the counter to fire", PROPAGATION, seen -> cluster.event("a", "monitor-down", ref).isPresent());
        DemoEvent down = cluster.event("a", "monitor-down", ref).orElseThrow();
        figures.put("a remote monitor fires", DemoScript.millis(Duration.ofNanos(down.atNanos() - cluster.markNanos())));
        expect(down.arg(1).equals("normal"), "the monitor should report reason normal, reported " + down.arg(1));

        String failure = c.requestFailure(COMMAND, "get", ref);
        n.say("c: GenServer.call(counter, new Counter.Get()) now throws at once:");
        n.detail(failure);
        expect(failure.startsWith("RemoteServerNotRunningException"),
                "a call to the stopped counter should throw RemoteServerNotRunningException, threw " + failure);
    }

    // ------------------------------------------------------------------ (5)

    private void supervisor(Narrator n) throws InterruptedException {
        String sup = a.request(COMMAND, "supervise", String.valueOf(WORKERS));
        n.say("a: DistributedSupervisor.start(...) -> " + sup);
        n.detail("ONE_FOR_ONE, NodeSelector.roundRobin(), " + WORKERS + " children: DistributedChildSpec.of(\"worker-N\", \"worker\", ...)");
        workers = children();
        Map<String, List<String>> byNode = byNode(workers);
        n.say("a: DistributedSupervisor.getChildren(sup):");
        byNode.forEach((node, ids) -> n.detail("on " + node + ": " + String.join(", ", ids)));
        expect(byNode.keySet().equals(Set.of("a", "b", "c")) && byNode.values().stream().allMatch(l -> l.size() == 2),
                "round-robin should place two workers on each node, placed " + byNode);

        Map<String, Integer> answered = new TreeMap<>();
        for (Map.Entry<String, GenServerRef> w : workers.entrySet()) {
            String[] done = c.request(COMMAND, "work", DemoWire.ref(w.getValue()), JOB).split(" ");
            answered.merge(DemoCluster.nameOf(done[0]), 1, Integer::sum);
            expect(done[0].equals(w.getValue().nodeId().toString()), w.getKey() + " should run on " + w.getValue().nodeId()
                    + ", answered from " + done[0]);
            expect(done[2].equals("9592"), "there are 9592 primes up to 100000; " + w.getKey() + " counted " + done[2]);
        }
        n.say("c: GenServer.call(worker, new Worker.Job(" + JOB + ")) on each -> 9592 primes, answered by " + answered);
    }

    // ------------------------------------------------------------------ (6)

    private void killB(Narrator n) throws InterruptedException {
        List<String> onB = workers.entrySet().stream().filter(w -> w.getValue().nodeId().equals(b.nodeId()))
                .map(Map.Entry::getKey).toList();
        NodeId lost = b.nodeId();
        cluster.expectExit("b");
        cluster.mark("the kill");
        b.kill9();
        n.say("SIGKILL (kill -9) to b's JVM, pid " + b.pid() + ": no shutdown hook, no goodbye to its peers");
        cluster.awaitEvents("a and c to see b go down and b's workers " + onB + " to move", MIGRATION, seen ->
                cluster.event("a", "down", lost.toString()).isPresent()
                        && cluster.event("c", "down", lost.toString()).isPresent()
                        && onB.stream().allMatch(id -> cluster.event("a", "migrated", id).isPresent()));
        DemoEvent downOnA = cluster.event("a", "down", lost.toString()).orElseThrow();
        long lastMove = onB.stream().mapToLong(id -> cluster.event("a", "migrated", id).orElseThrow().atNanos()).max().orElseThrow();
        Duration detected = Duration.ofNanos(downOnA.atNanos() - cluster.markNanos());
        Duration moved = Duration.ofNanos(lastMove - cluster.markNanos());
        n.say("b's loss was seen by a after " + DemoScript.millis(detected) + " (" + downOnA.arg(1) + "); its "
                + onB.size() + " workers ran again " + DemoScript.millis(moved) + " after the kill");
        figures.put("kill -9 of b seen by a (" + downOnA.arg(1) + ")", DemoScript.millis(detected));
        figures.put("b's workers running again elsewhere", DemoScript.millis(moved));

        Map<String, GenServerRef> now = children();
        Map<String, List<String>> byNode = byNode(now);
        n.say("a: DistributedSupervisor.getChildren(sup):");
        byNode.forEach((node, ids) -> n.detail("on " + node + ": " + String.join(", ", ids)));
        expect(!byNode.containsKey("b") && now.size() == WORKERS, "every worker should run on a or c, they run " + byNode);
        for (String id : onB) {
            String[] done = c.request(COMMAND, "work", DemoWire.ref(now.get(id)), JOB).split(" ");
            n.say("c: GenServer.call(" + id + ", new Worker.Job(" + JOB + ")) -> " + done[2] + " primes, from "
                    + DemoCluster.nameOf(done[0]) + "  (" + micros(done[3]) + ")");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** @return the supervisor's children, by id, as a reports them */
    private Map<String, GenServerRef> children() throws InterruptedException {
        Map<String, GenServerRef> out = new LinkedHashMap<>();
        for (String field : a.request(COMMAND, "children").split(" ")) {
            int eq = field.indexOf('=');
            String ref = field.substring(eq + 1);
            expect(!ref.equals("-"), "child " + field.substring(0, eq) + " is not running");
            out.put(field.substring(0, eq), DemoWire.ref(ref));
        }
        return out;
    }

    private static Map<String, List<String>> byNode(Map<String, GenServerRef> children) {
        Map<String, List<String>> byNode = new TreeMap<>();
        children.forEach((id, ref) -> byNode.computeIfAbsent(ref.nodeId().name(), k -> new ArrayList<>()).add(id));
        return byNode;
    }

    private static String micros(String micros) {
        return DemoScript.millis(Duration.ofNanos(Long.parseLong(micros) * 1000));
    }

    private void printFigures() {
        if (figures.isEmpty()) {
            return;
        }
        n.blank();
        n.line("Measured in this run (" + Runtime.getRuntime().availableProcessors() + " CPUs, Java "
                + Runtime.version().feature() + "; times as seen by the demo and its nodes):");
        figures.forEach((what, value) -> n.line(String.format(Locale.ROOT, "  %-46s %10s", what, value)));
    }
}
