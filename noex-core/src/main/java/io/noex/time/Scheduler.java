package io.noex.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The clock and timer every time-dependent part of a node reads: {@code sendAfter} timers,
 * restart-intensity windows, heartbeats and failure detection. Injected through
 * {@code Node.builder().scheduler(...)}, so timing logic is tested by advancing a manual
 * scheduler (the testkit's {@code ManualScheduler}) instead of sleeping.
 *
 * <p><b>Threading.</b> Tasks run on the scheduler's own thread (for {@link #system(String)}, one
 * platform daemon thread). A task must be short and must never block or run user code: it only
 * hands work to processes (enqueues a message) or to the network layer.
 */
public interface Scheduler extends AutoCloseable {

    /** @return a monotonic time in nanoseconds, only meaningful as a difference */
    long nanoTime();

    /** @return the wall-clock time, for display only (never used to order events) */
    Instant now();

    /**
     * Runs {@code task} once after {@code delay}.
     *
     * @param task the task; exceptions it throws are logged and swallowed
     * @param delay how long to wait; zero or negative runs it as soon as possible
     * @return a handle that cancels the task if it has not started
     */
    Cancellable schedule(Runnable task, Duration delay);

    /** Stops the scheduler; pending tasks never run. Idempotent. */
    @Override
    void close();

    /**
     * @param threadName the name of the scheduler's thread
     * @return a scheduler on the system clock with one daemon thread
     */
    static Scheduler system(String threadName) {
        return new SystemScheduler(threadName);
    }
}
