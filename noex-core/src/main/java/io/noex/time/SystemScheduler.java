package io.noex.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Scheduler} on the system clock: one daemon thread running a
 * {@link ScheduledThreadPoolExecutor} that removes cancelled tasks at once, so cancelled timers
 * never pile up.
 *
 * <p>Threading: {@link #schedule} and {@link #close} may be called from any thread; tasks run on
 * the scheduler's thread.
 */
final class SystemScheduler implements Scheduler {

    private static final Logger log = LoggerFactory.getLogger(SystemScheduler.class);

    private final ScheduledThreadPoolExecutor executor;

    SystemScheduler(String threadName) {
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        long nanos = Math.max(0, delay.toNanos());
        try {
            ScheduledFuture<?> f = executor.schedule(() -> runGuarded(task), nanos, TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            return () -> false;
        }
    }

    private static void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            log.warn("scheduled task {} threw; ignored", task, t);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
