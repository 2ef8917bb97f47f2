package io.noex.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition by polling it, with a deadline. The testkit's one way to wait for state
 * it cannot be told about (membership views are read, not pushed).
 *
 * <p>Threading: stateless; any thread.
 */
final class Poll {

    /** Short enough to add little to measured latencies, long enough not to burn a core. */
    static final Duration INTERVAL = Duration.ofMillis(10);

    private Poll() {
    }

    /**
     * @param condition checked every {@link #INTERVAL}
     * @param timeout how long to wait at most
     * @return true as soon as the condition holds; false if it did not by the deadline
     * @throws IllegalStateException if interrupted (the interrupt flag is kept)
     */
    static boolean until(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting", e);
            }
        }
    }
}
