package io.noex.cli.demo;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Waiting for something the runtime does, always with a deadline: the demo never sleeps for a
 * fixed time hoping a thing happened, and never hangs when it does not. A missed deadline is a
 * {@link DemoFailure} naming what was awaited.
 */
final class Waits {

    /** How long any one step may take before the act fails. Generous: steps take milliseconds. */
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(5);

    /** Pause between two probes of a condition. */
    private static final long PROBE_INTERVAL_NANOS = 2_000_000;

    private Waits() {
    }

    /** @return the value {@code future} completes with, within {@link #STEP_TIMEOUT} */
    static <T> T await(String what, CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw timedOut(what);
        } catch (ExecutionException e) {
            throw new DemoFailure(what + " failed: " + e.getCause());
        }
    }

    /** @return the next element of {@code queue}, within {@link #STEP_TIMEOUT} */
    static <T> T await(String what, BlockingQueue<T> queue) throws InterruptedException {
        T next = queue.poll(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
            throw timedOut(what);
        }
        return next;
    }

    /**
     * Probes {@code condition} until it yields a value or {@link #STEP_TIMEOUT} passes.
     *
     * @return the first value the probe yields
     */
    static <T> T until(String what, Supplier<Optional<T>> condition) {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        for (;;) {
            Optional<T> value = condition.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw timedOut(what);
            }
            LockSupport.parkNanos(PROBE_INTERVAL_NANOS);
        }
    }

    private static DemoFailure timedOut(String what) {
        return new DemoFailure("gave up after " + STEP_TIMEOUT.toMillis() + " ms waiting for " + what);
    }
}
