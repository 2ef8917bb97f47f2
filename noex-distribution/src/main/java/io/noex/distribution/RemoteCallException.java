package io.noex.distribution;

import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.ServerCrashedException;
import java.util.List;

/**
 * The remote handler threw while handling this call: the remote process crashed (Erlang's rule),
 * and this carries the remote exception's class name, message and stack (its cause is a
 * {@link RemoteFailure} whose stack trace is the remote one). A subclass of
 * {@link ServerCrashedException}, so code that catches crashes handles local and remote alike.
 */
public final class RemoteCallException extends ServerCrashedException {

    private final RemoteFailure remote;

    /**
     * @param server the called process
     * @param remote the remote exception
     */
    public RemoteCallException(GenServerRef server, RemoteFailure remote) {
        super(server, ExitReason.error(remote.getMessage(), remote), remote);
        this.remote = remote;
    }

    /** @return the remote exception's class name */
    public String remoteClassName() {
        return remote.remoteClassName();
    }

    /** @return the remote exception's message, or null */
    public String remoteMessage() {
        return remote.remoteMessage();
    }

    /** @return the remote exception's stack, as on its node */
    public List<StackTraceElement> remoteStack() {
        return List.of(remote.getStackTrace());
    }
}
