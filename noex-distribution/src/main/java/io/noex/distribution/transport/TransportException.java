package io.noex.distribution.transport;

import io.noex.NoexException;

/** The transport could not do what it was asked: listen on an address, most often. */
public final class TransportException extends NoexException {

    /**
     * @param message what failed, naming the address
     * @param cause the underlying error
     */
    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
