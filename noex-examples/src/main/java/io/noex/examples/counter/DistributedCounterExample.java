package io.noex.examples.counter;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.distribution.GlobalNames;
import io.noex.distribution.Registration;
import io.noex.distribution.RemoteSpawn;
import io.noex.distribution.SpawnOptions;
import io.noex.examples.Counter;
import io.noex.examples.ExampleBehaviors;
import io.noex.examples.ExampleCluster;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A counter that the whole cluster shares: one {@link Counter} process, started on one node and
 * registered under a global name, which every node finds by that name and updates at once. There
 * are no locks and no lost updates: the counter's state belongs to its process, which takes one
 * message at a time (Erlang's answer to shared state). Run it with {@code bin/noex example counter}.
 *
 * <ol>
 *   <li>node a spawns the {@code counter} behavior on node c by name, registered globally as
 *       {@value #NAME} in the same step ({@link RemoteSpawn} with {@link Registration#GLOBAL});</li>
 *   <li>every node resolves {@value #NAME} ({@link GlobalNames#whereis}) and, on a thread of its
 *       own, casts {@code Increment(1)} to it many times, then reads it with a call;</li>
 *   <li>each node reads the total: every increment of every node is counted.</li>
 * </ol>
 */
public final class DistributedCounterExample {

    /** The counter's global name. */
    public static final String NAME = "visits";

    /** How long a node may take to learn the global name. */
    private static final Duration NAME_TIMEOUT = Duration.ofSeconds(10);

    /**
     * What the program saw.
     *
     * @param counter the counter process (on the last node)
     * @param totals the total each node read at the end, by node
     */
    public record Result(GenServerRef counter, Map<NodeId, Integer> totals) {
    }

    private DistributedCounterExample() {
    }

    /**
     * Runs the program on three nodes in this JVM ({@link ExampleCluster}), printing to stdout.
     *
     * @param args ignored
     * @throws Exception if the program fails
     */
    public static void main(String[] args) throws Exception {
        play(System.out);
    }

    /**
     * Runs the program on three nodes in this JVM ({@link ExampleCluster}), stopped at the end.
     *
     * @param out where to say what happens
     * @return what the program saw
     * @throws Exception if the program fails
     */
    public static Result play(PrintStream out) throws Exception {
        try (ExampleCluster cluster = ExampleCluster.start(List.of("a", "b", "c"), ExampleBehaviors::registerAll)) {
            return run(cluster.nodes(), 1000, out);
        }
    }

    /**
     * Plays the example on clustered nodes that host the example behaviors.
     *
     * @param nodes two or more connected nodes; the counter runs on the last one
     * @param increments how many increments each node sends
     * @param out where to say what happens
     * @return where the counter ran and what each node read
     * @throws InterruptedException if interrupted while the nodes count
     * @throws ExecutionException if a node failed to count (its cause says why)
     */
    public static Result run(List<Node> nodes, int increments, PrintStream out)
            throws InterruptedException, ExecutionException {
        Node a = nodes.get(0);
        Node home = nodes.get(nodes.size() - 1);
        GenServerRef counter = RemoteSpawn.spawn(a, ExampleBehaviors.COUNTER, home.nodeId(),
                SpawnOptions.builder().name(NAME).registration(Registration.GLOBAL).build()).ref();
        out.println(a.name() + " spawned a counter on " + home.nodeId() + " as " + counter.id()
                + ", registered globally as '" + NAME + "'");

        try (ExecutorService adders = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (Node node : nodes) {
                running.add(adders.submit(() -> addFrom(node, increments, out)));
            }
            for (Future<?> f : running) {
                f.get(); // an adder's failure (a name that never arrived, say) fails the program
            }
        }

        Map<NodeId, Integer> totals = new LinkedHashMap<>();
        for (Node node : nodes) {
            int total = node.call(GlobalNames.of(node).lookup(NAME), new Counter.Get());
            totals.put(node.nodeId(), total);
            out.println(node.name() + " reads the total: " + total);
        }
        out.println("expected " + increments * nodes.size() + ": one process owns the count, so no update is lost");
        return new Result(counter, totals);
    }

    /** On one node: find the counter by name, send it {@code increments} casts, read it. */
    private static void addFrom(Node node, int increments, PrintStream out) {
        GenServerRef visits = ExampleCluster.await(node.name() + " to learn the name '" + NAME + "'", NAME_TIMEOUT,
                () -> GlobalNames.of(node).whereis(NAME));
        for (int i = 0; i < increments; i++) {
            node.cast(visits, new Counter.Increment(1));
        }
        // Casts and a call from one sender arrive in the order sent: this read counts every
        // increment this node sent, and perhaps some of the other nodes'.
        int seen = node.call(visits, new Counter.Get());
        out.println(node.name() + " found '" + NAME + "' on " + visits.nodeId().name() + ", sent " + increments
                + " increments, then read " + seen);
    }
}
