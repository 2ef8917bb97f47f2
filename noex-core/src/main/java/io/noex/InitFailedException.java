package io.noex;

/**
 * {@code GenServer.start} failed because {@link GenServerBehavior#init} threw, returned
 * {@code null}, or did not finish within the init timeout ({@link InitTimeoutException}). The
 * process never ran; a name it asked for is free again.
 */
public class InitFailedException extends NoexException {

    private final GenServerRef server;

    /**
     * @param server the process that failed to start
     * @param message what failed
     * @param cause what {@code init} threw, or null
     */
    public InitFailedException(GenServerRef server, String message, Throwable cause) {
        super(message, cause);
        this.server = server;
    }

    /** @return the ref the process would have had */
    public GenServerRef server() {
        return server;
    }
}
