package io.noex;

import io.noex.spi.OneShot;

import java.util.List;

/**
 * {@code start}'s wait for {@code init}: the new process completes it once {@code init} returned
 * (or failed); the starting thread waits on it up to the init timeout.
 *
 * <p>Threading: completed on the process thread, awaited on the starting thread.
 */
final class InitRequest extends OneShot {

    static final Object OK = new Object();

    /** Why {@code init} failed. */
    record Failure(String message, Throwable cause) {
    }

    private final List<Object> args;

    InitRequest(List<Object> args) {
        this.args = args;
    }

    List<Object> args() {
        return args;
    }

    /** @return false if the starter already gave up (timed out or was interrupted) */
    boolean succeed() {
        return complete(OK);
    }

    void fail(String message, Throwable cause) {
        complete(new Failure(message, cause));
    }

    /** @return {@link #OK}, a {@link Failure}, or a timeout/interruption marker */
    Object await(long timeoutNanos) {
        return awaitOutcome(timeoutNanos);
    }
}
