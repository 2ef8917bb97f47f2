package io.noex;

/**
 * The calling thread was interrupted while it waited for a reply (for example because its own
 * process was killed). The call is abandoned; its interrupt status is kept set.
 */
public final class CallInterruptedException extends NoexException {

    private final GenServerRef server;

    /** @param server the called process */
    public CallInterruptedException(GenServerRef server) {
        super("interrupted while waiting for a reply from " + server);
        this.server = server;
    }

    /** @return the called process */
    public GenServerRef server() {
        return server;
    }
}
