package io.noex.time;

/** A scheduled task that can still be cancelled. */
@FunctionalInterface
public interface Cancellable {

    /**
     * Cancels the task if it has not started.
     *
     * @return true if this call prevented the task from running
     */
    boolean cancel();
}
