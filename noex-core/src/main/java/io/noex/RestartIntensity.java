package io.noex;

import java.util.ArrayDeque;

/**
 * A supervisor's restart budget: at most {@code max} restarts within a sliding window. Pure:
 * the caller passes the time (from the node's injected clock), so the rule is tested by
 * advancing numbers, not by sleeping.
 *
 * <p>Threading: not thread-safe; owned by the supervisor's process.
 */
final class RestartIntensity {

    private final int max;
    private final long windowNanos;
    private final ArrayDeque<Long> restarts = new ArrayDeque<>();

    RestartIntensity(int max, long windowNanos) {
        this.max = max;
        this.windowNanos = windowNanos;
    }

    /**
     * Records a restart at {@code nowNanos}.
     *
     * @return true if it is within the budget; false if this restart exceeds it
     */
    boolean tryRestart(long nowNanos) {
        restarts.addLast(nowNanos);
        while (!restarts.isEmpty() && nowNanos - restarts.peekFirst() > windowNanos) {
            restarts.removeFirst();
        }
        return restarts.size() <= max;
    }

    /** @return restarts currently inside the window */
    int recent() {
        return restarts.size();
    }
}
