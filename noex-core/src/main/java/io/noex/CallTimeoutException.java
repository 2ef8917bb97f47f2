package io.noex;

import java.time.Duration;

/**
 * A call got no reply within its timeout. The server may still process the request; a reply that
 * arrives later is dropped, never delivered to a later call.
 */
public class CallTimeoutException extends NoexException {

    private final GenServerRef server;
    private final Duration timeout;

    /**
     * @param server the called process
     * @param timeout the timeout that elapsed
     */
    public CallTimeoutException(GenServerRef server, Duration timeout) {
        this(server, timeout, "call to " + server + " timed out after " + timeout.toMillis() + " ms");
    }

    /**
     * For subclasses that word the message differently.
     *
     * @param server the called process
     * @param timeout the timeout that elapsed
     * @param message the message
     */
    protected CallTimeoutException(GenServerRef server, Duration timeout, String message) {
        super(message);
        this.server = server;
        this.timeout = timeout;
    }

    /** @return the called process */
    public GenServerRef server() {
        return server;
    }

    /** @return the process id or name that was called */
    public String serverId() {
        return server.id();
    }

    /** @return the node of the called process */
    public NodeId nodeId() {
        return server.nodeId();
    }

    /** @return the timeout that elapsed */
    public Duration timeout() {
        return timeout;
    }
}
