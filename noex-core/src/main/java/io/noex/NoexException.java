package io.noex;

/**
 * The root of every exception noex throws. Unchecked, as all failures of a process operation are
 * part of normal control flow in a fault-tolerant program: callers decide where to catch them,
 * or let their own process crash and be restarted.
 *
 * <p>Subclasses carry the facts of the failure as fields ({@code server()}, {@code nodeId()},
 * {@code timeout()}, ...), so code can react without parsing messages.
 */
public class NoexException extends RuntimeException {

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, naming the process, node or value involved
     */
    public NoexException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public NoexException(String message, Throwable cause) {
        super(message, cause);
    }
}
