package io.noex;

/**
 * The called process exited before it replied: it was stopped, killed, died with a linked
 * process, or crashed while handling another message. The caller learns it at once, not at its
 * timeout.
 */
public class ServerExitedException extends NoexException {

    private final GenServerRef server;
    private final ExitReason reason;

    /**
     * @param server the called process
     * @param reason why it exited
     */
    public ServerExitedException(GenServerRef server, ExitReason reason) {
        this(server, reason, "GenServer " + server + " exited (" + reason + ") before replying", null);
    }

    /**
     * For subclasses.
     *
     * @param server the called process
     * @param reason why it exited
     * @param message the message
     * @param cause the underlying exception, or null
     */
    protected ServerExitedException(GenServerRef server, ExitReason reason, String message, Throwable cause) {
        super(message, cause);
        this.server = server;
        this.reason = reason;
    }

    /** @return the called process */
    public GenServerRef server() {
        return server;
    }

    /** @return why it exited */
    public ExitReason reason() {
        return reason;
    }
}
