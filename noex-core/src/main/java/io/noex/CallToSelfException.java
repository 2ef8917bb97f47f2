package io.noex;

/**
 * A process called itself. It would wait for a reply only it could give, so the call fails at
 * once (Erlang's {@code calling_self}).
 */
public final class CallToSelfException extends NoexException {

    private final GenServerRef server;

    /** @param server the process that called itself */
    public CallToSelfException(GenServerRef server) {
        super("GenServer " + server + " called itself; it cannot reply while it waits");
        this.server = server;
    }

    /** @return the process that called itself */
    public GenServerRef server() {
        return server;
    }
}
