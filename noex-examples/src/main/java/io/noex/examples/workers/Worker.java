package io.noex.examples.workers;

import io.noex.CallResult;
import io.noex.GenServerBehavior;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.UnknownMessageException;
import io.noex.distribution.BehaviorRegistry;
import io.noex.distribution.Serialization;
import java.util.List;

/**
 * A pool worker: answers each {@link Job} call with a {@link Done} that says what it computed and
 * where (which worker, on which node). The work is real but small: counting the primes up to a
 * bound. Its state is its name and the number of jobs it has done since it (re)started.
 *
 * <p>Init arguments: the worker's name (a {@code String}), as the {@link WorkerPool} gives it.
 * Stateless, so one instance serves every worker process; registered for remote spawn as
 * {@value #BEHAVIOR} so a distributed supervisor can start it on any node.
 */
public final class Worker implements GenServerBehavior<Worker.State> {

    /** The name the behavior is registered under. */
    public static final String BEHAVIOR = "worker";

    private static final Worker INSTANCE = new Worker();

    /** The largest bound a {@link Job} may ask for (the sieve takes one byte per number). */
    public static final int MAX_UP_TO = 10_000_000;

    /**
     * Call: count the primes up to {@code upTo}; replies with a {@link Done}.
     *
     * @param upTo the bound, 0 to {@link #MAX_UP_TO}
     */
    public record Job(int upTo) {
        /** @throws IllegalArgumentException if {@code upTo} is out of range: at the sender, before it is sent */
        public Job {
            if (upTo < 0 || upTo > MAX_UP_TO) {
                throw new IllegalArgumentException("Job.upTo = " + upTo + ": must be 0 to " + MAX_UP_TO);
            }
        }
    }

    /**
     * A job's result.
     *
     * @param upTo the job's bound
     * @param primes how many primes there are up to it
     * @param worker the worker that did it
     * @param node the node it ran on
     * @param jobsDone how many jobs that worker has done since it started, this one included
     */
    public record Done(int upTo, int primes, String worker, NodeId node, int jobsDone) {
    }

    /**
     * @param name the worker's name
     * @param jobsDone jobs done since it started
     */
    record State(String name, int jobsDone) {
    }

    private Worker() {
    }

    /** @return the behavior */
    public static Worker behavior() {
        return INSTANCE;
    }

    /**
     * Registers the behavior as {@value #BEHAVIOR} and the job messages on {@code node}. Do it on
     * every node, before the node joins the cluster. Idempotent.
     *
     * @param node the node
     */
    public static void register(Node node) {
        Serialization.register(node, "noex.examples.workers.Job", Job.class);
        Serialization.register(node, "noex.examples.workers.Done", Done.class);
        BehaviorRegistry.register(node, BEHAVIOR, INSTANCE);
    }

    @Override
    public State init(List<Object> args) {
        String name = !args.isEmpty() && args.get(0) instanceof String s ? s : "worker";
        return new State(name, 0);
    }

    @Override
    public CallResult<State> handleCall(Object msg, State state) {
        return switch (msg) {
            case Job job -> {
                State next = new State(state.name(), state.jobsDone() + 1);
                Done done = new Done(job.upTo(), primesUpTo(job.upTo()), state.name(), Node.current().nodeId(), next.jobsDone());
                yield CallResult.reply(done, next);
            }
            default -> throw new UnknownMessageException(msg);
        };
    }

    @Override
    public State handleCast(Object msg, State state) {
        throw new UnknownMessageException(msg); // a job is a call: its caller wants the result
    }

    /** @return how many primes are {@code <= n} (a sieve) */
    static int primesUpTo(int n) {
        if (n < 2) {
            return 0;
        }
        boolean[] composite = new boolean[n + 1];
        int count = 0;
        for (int i = 2; i <= n; i++) {
            if (!composite[i]) {
                count++;
                for (long j = (long) i * i; j <= n; j += i) {
                    composite[(int) j] = true;
                }
            }
        }
        return count;
    }
}
