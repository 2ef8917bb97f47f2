package io.noex.spi;

import java.util.ArrayDeque;

/**
 * A supervisor's restart budget: at most {@code max} restarts within a sliding window. Pure:
 * the caller passes the time (from the node's injected clock), so the rule is tested by
 * advancing numbers, not by sleeping.
 *
 * <p>Threading: not thread-safe; owned by the supervisor's process. Shared by the local and the
 * distributed supervisor.
 */
public final class RestartIntensity {

    private final int max;
    private final long windowNanos;
    private final ArrayDeque<Long> restarts = new ArrayDeque<>();

    /**
     * @param max restarts allowed within the window
     * @param windowNanos the window
     */
    public RestartIntensity(int max, long windowNanos) {
        this.max = max;
        this.windowNanos = windowNanos;
    }

    /**
     * Records a restart at {@code nowNanos}.
     *
     * @return true if it is within the budget; false if this restart exceeds it
     */
    public boolean tryRestart(long nowNanos) {
        restarts.addLast(nowNanos);
        while (!restarts.isEmpty() && nowNanos - restarts.peekFirst() > windowNanos) {
            restarts.removeFirst();
        }
        return restarts.size() <= max;
    }

    /** @return restarts currently inside the window */
    public int recent() {
        return restarts.size();
    }
}
