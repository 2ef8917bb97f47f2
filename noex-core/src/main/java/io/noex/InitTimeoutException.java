package io.noex;

import java.time.Duration;

/**
 * {@link GenServerBehavior#init} did not return within the init timeout. The process was killed
 * (its thread interrupted) and {@code GenServer.start} failed.
 */
public final class InitTimeoutException extends InitFailedException {

    private final Duration timeout;

    /**
     * @param server the process that failed to start
     * @param timeout the init timeout that elapsed
     */
    public InitTimeoutException(GenServerRef server, Duration timeout) {
        super(server, "init of " + server + " did not finish within " + timeout.toMillis() + " ms", null);
        this.timeout = timeout;
    }

    /** @return the init timeout that elapsed */
    public Duration timeout() {
        return timeout;
    }
}
