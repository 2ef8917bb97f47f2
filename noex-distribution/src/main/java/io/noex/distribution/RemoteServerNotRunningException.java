package io.noex.distribution;

import io.noex.GenServerRef;
import io.noex.ServerNotRunningException;

/**
 * The addressed process is not running on its (connected) node: it never existed, exited before
 * the request arrived, or exited before it replied. A subclass of
 * {@link ServerNotRunningException}.
 */
public final class RemoteServerNotRunningException extends ServerNotRunningException {

    /**
     * @param server the process
     * @param detail why, as its node reported it
     */
    public RemoteServerNotRunningException(GenServerRef server, String detail) {
        super(server, "GenServer " + server.id() + " is not running on " + server.nodeId()
                + (detail.isEmpty() ? "" : ": " + detail));
    }
}
