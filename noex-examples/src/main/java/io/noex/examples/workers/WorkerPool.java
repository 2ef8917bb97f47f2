package io.noex.examples.workers;

import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.StartOptions;
import io.noex.distribution.DistributedChildInfo;
import io.noex.distribution.DistributedSupervisorEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A pool of {@link Worker}s spread over the cluster by a {@code DistributedSupervisor}: jobs go to
 * the workers in turn, wherever they run. When a node with workers goes away, the supervisor
 * starts each of them again on a node that is still there, and the pool goes on handing them out.
 * {@snippet :
 * try (WorkerPool pool = WorkerPool.start(a, 6, event -> System.out.println(event))) {
 *     Worker.Done done = pool.run(new Worker.Job(100_000));  // done.node(): where it ran
 * }
 * }
 * A job whose worker's node is lost while it runs fails with that node's
 * {@code NodeNotReachableException} (at once, not at the timeout); the caller may run it again,
 * and the pool then hands out a worker that is running.
 *
 * <p>Threading: thread-safe; each method is a call to the pool's process on its node.
 */
public final class WorkerPool implements AutoCloseable {

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(30);

    /** How long the pool may take to stop: its supervisor stops workers on other nodes. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Node node;
    private final GenServerRef pool;

    private WorkerPool(Node node, GenServerRef pool) {
        this.node = node;
        this.pool = pool;
    }

    /**
     * Starts a pool whose supervisor runs on {@code node} and whose workers are placed round-robin
     * over every node of the cluster (each must host the {@value Worker#BEHAVIOR} behavior:
     * {@link Worker#register}).
     *
     * @param node the pool's node; its cluster must be running
     * @param size how many workers, 1 or more
     * @param events told of the supervisor's lifecycle events, on a thread of the supervisor's
     * @return the running pool
     * @throws io.noex.InitFailedException if a worker could not be started
     */
    public static WorkerPool start(Node node, int size, Consumer<DistributedSupervisorEvent> events) {
        if (size < 1) {
            throw new IllegalArgumentException("size = " + size + ": a pool needs at least one worker");
        }
        // The supervisor starts every worker before the pool's init returns: give it time.
        GenServerRef pool = node.start(new PoolServer(size, events), StartOptions.builder().initTimeout(Duration.ofSeconds(30)).build());
        return new WorkerPool(node, pool);
    }

    /**
     * Runs a job on the next worker.
     *
     * @param job the job
     * @return its result, which names the worker and node that did it
     * @throws IllegalStateException if no worker is running
     * @throws io.noex.NodeNotReachableException if the worker's node was lost while it ran
     */
    public Worker.Done run(Worker.Job job) {
        Optional<GenServerRef> worker = node.call(pool, new PoolServer.Checkout());
        return node.call(worker.orElseThrow(() -> new IllegalStateException("no worker of the pool is running")), job, JOB_TIMEOUT);
    }

    /** @return the workers, in order, with the node each runs on and how often it was restarted or moved */
    public List<DistributedChildInfo> placement() {
        return node.call(pool, new PoolServer.Placement());
    }

    /** Stops the pool: its supervisor stops every worker, on every node. */
    @Override
    public void close() {
        node.stop(pool, ExitReason.shutdown(), STOP_TIMEOUT);
    }
}
