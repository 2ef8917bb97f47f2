package io.noex.distribution;

import io.noex.CallTimeoutException;
import io.noex.GenServerRef;
import java.time.Duration;

/**
 * A remote call got no reply within its timeout (the node stayed connected). A subclass of
 * {@link CallTimeoutException}, so code that catches timeouts handles local and remote alike.
 */
public final class RemoteCallTimeoutException extends CallTimeoutException {

    /**
     * @param server the called process
     * @param timeout the timeout that elapsed
     */
    public RemoteCallTimeoutException(GenServerRef server, Duration timeout) {
        this(server, timeout, "timed out after " + timeout.toMillis() + " ms");
    }

    /**
     * @param server the called process
     * @param timeout the call's timeout
     * @param detail what happened, e.g. that the request could not even be queued in time
     */
    public RemoteCallTimeoutException(GenServerRef server, Duration timeout, String detail) {
        super(server, timeout, "remote call to " + server.id() + " on " + server.nodeId() + " " + detail);
    }
}
