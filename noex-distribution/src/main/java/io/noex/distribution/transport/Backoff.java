package io.noex.distribution.transport;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter for redials: the n-th retry waits a random time between
 * half and all of {@code min(max, base * 2^n)}. The randomness is injected so tests can pin it.
 * Jitter keeps a whole cluster from redialing a restarted seed in lockstep.
 *
 * <p>Threading: immutable; thread-safe.
 */
public final class Backoff {

    private final long baseNanos;
    private final long maxNanos;
    private final DoubleSupplier random;

    /**
     * @param base the first delay (before jitter)
     * @param max the largest delay
     * @param random uniform in [0, 1)
     */
    public Backoff(Duration base, Duration max, DoubleSupplier random) {
        this.baseNanos = base.toNanos();
        this.maxNanos = Math.max(base.toNanos(), max.toNanos());
        this.random = random;
    }

    /**
     * @param attempt 0 for the first retry
     * @return how long to wait before it
     */
    public Duration delay(int attempt) {
        long ceiling = maxNanos;
        if (attempt < 62) {
            long exp = baseNanos << Math.min(attempt, 30);
            if (exp > 0 && exp < maxNanos) {
                ceiling = exp;
            }
        }
        long half = ceiling / 2;
        return Duration.ofNanos(half + (long) (random.getAsDouble() * (ceiling - half)));
    }
}
