package io.noex;

/**
 * An operation that only makes sense inside a GenServer callback ({@code GenServer.self()},
 * {@code GenServer.caller()}) was used from another thread.
 */
public final class NotInProcessException extends NoexException {

    /** @param operation the operation that was attempted */
    public NotInProcessException(String operation) {
        super(operation + " can only be used inside a GenServer callback");
    }
}
