package io.noex.examples.workers;

import io.noex.Node;
import io.noex.NodeId;
import io.noex.distribution.DistributedChildInfo;
import io.noex.distribution.DistributedSupervisorEvent;
import io.noex.examples.ExampleBehaviors;
import io.noex.examples.ExampleCluster;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A worker pool under a distributed supervisor, across three nodes. Run it with
 * {@code bin/noex example workers}.
 *
 * <ol>
 *   <li>node a starts a {@link WorkerPool} of six workers: its supervisor places them round-robin,
 *       two on each node;</li>
 *   <li>a runs twelve jobs; each result names the worker and the node that did it;</li>
 *   <li>node c leaves the cluster: the supervisor starts c's two workers again on a and b
 *       ({@code child_migrated} events, printed as they come);</li>
 *   <li>a runs twelve more jobs: every one succeeds, on a and b.</li>
 * </ol>
 */
public final class WorkerPoolExample {

    /** Workers in the pool. */
    public static final int WORKERS = 6;

    /** Jobs run before and again after node c leaves. */
    public static final int JOBS = 12;

    private static final Duration MIGRATION_TIMEOUT = Duration.ofSeconds(15);

    /**
     * What the program saw.
     *
     * @param before where the workers ran at first
     * @param after where they ran once node c had left
     * @param jobsBefore the results of the first jobs
     * @param jobsAfter the results of the jobs run after node c left
     * @param events the supervisor's lifecycle events, in order
     */
    public record Result(List<DistributedChildInfo> before, List<DistributedChildInfo> after,
            List<Worker.Done> jobsBefore, List<Worker.Done> jobsAfter, List<DistributedSupervisorEvent> events) {
    }

    private WorkerPoolExample() {
    }

    /**
     * Runs the program on three nodes in this JVM ({@link ExampleCluster}), printing to stdout.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        play(System.out);
    }

    /**
     * Runs the program on three nodes in this JVM ({@link ExampleCluster}), stopped at the end.
     *
     * @param out where to say what happens
     * @return what the program saw
     */
    public static Result play(PrintStream out) {
        try (ExampleCluster cluster = ExampleCluster.start(List.of("a", "b", "c"), ExampleBehaviors::registerAll)) {
            return run(cluster.node(0), cluster.nodeId(2), () -> cluster.stop(2), out);
        }
    }

    /**
     * Plays the example.
     *
     * @param a the node the pool runs on (connected to the others, which host the worker behavior)
     * @param c the node that leaves
     * @param stopC makes node c leave the cluster
     * @param out where to say what happens
     * @return what the program saw
     */
    public static Result run(Node a, NodeId c, Runnable stopC, PrintStream out) {
        List<DistributedSupervisorEvent> events = new CopyOnWriteArrayList<>();
        try (WorkerPool pool = WorkerPool.start(a, WORKERS, event -> {
            events.add(event);
            switch (event) {
                case DistributedSupervisorEvent.NodeFailureDetected f ->
                        out.println("  supervisor: lost " + f.node() + ", which ran " + f.childIds());
                case DistributedSupervisorEvent.ChildMigrated m ->
                        out.println("  supervisor: " + m.childId() + " moved from " + m.from().name() + " to " + m.to().name());
                default -> { } // started, stopped, restarted: the placement tables show them
            }
        })) {
            List<DistributedChildInfo> before = pool.placement();
            out.println(a.name() + ": started a pool of " + WORKERS + " workers");
            printPlacement(before, out);
            List<Worker.Done> jobsBefore = runJobs(pool, out);

            out.println(c.name() + ": leaving the cluster, with the workers it runs");
            stopC.run();
            List<DistributedChildInfo> after = waitUntilNoneOn(pool, c);
            printPlacement(after, out);
            List<Worker.Done> jobsAfter = runJobs(pool, out);
            return new Result(before, after, jobsBefore, jobsAfter, List.copyOf(events));
        }
    }

    private static List<DistributedChildInfo> waitUntilNoneOn(WorkerPool pool, NodeId gone) {
        return ExampleCluster.await("every worker to run on a node other than " + gone, MIGRATION_TIMEOUT, () -> {
            List<DistributedChildInfo> now = pool.placement();
            boolean moved = now.stream().allMatch(w -> w.ref().isPresent() && !w.nodeId().equals(gone));
            return moved ? Optional.of(now) : Optional.empty();
        });
    }

    private static List<Worker.Done> runJobs(WorkerPool pool, PrintStream out) {
        List<Worker.Done> results = new ArrayList<>();
        Map<String, Integer> perNode = new TreeMap<>();
        for (int i = 1; i <= JOBS; i++) {
            Worker.Done done = pool.run(new Worker.Job(10_000 * i));
            results.add(done);
            perNode.merge(done.node().name(), 1, Integer::sum);
        }
        Worker.Done last = results.get(results.size() - 1);
        out.println("  ran " + JOBS + " jobs, by node " + perNode + "; the last: " + last.primes() + " primes up to "
                + last.upTo() + ", by " + last.worker() + " on " + last.node().name());
        return results;
    }

    private static void printPlacement(List<DistributedChildInfo> workers, PrintStream out) {
        Map<String, List<String>> byNode = new TreeMap<>();
        for (DistributedChildInfo w : workers) {
            byNode.computeIfAbsent(w.nodeId().name(), k -> new ArrayList<>()).add(w.id());
        }
        byNode.forEach((node, ids) -> out.println("  on " + node + ": " + String.join(", ", ids)));
    }
}
