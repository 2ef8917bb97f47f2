package io.noex.distribution;

import io.noex.NoexException;
import java.util.List;

/**
 * An exception that happened on another node, carried back as its class name, message and stack
 * (the original class is never instantiated here). It is the cause of a
 * {@link io.noex.ExitReason.Error} that crossed the network, and of a remote call failure.
 */
public final class RemoteFailure extends NoexException {

    private final String remoteClassName;
    private final String remoteMessage;

    /**
     * @param remoteClassName the remote exception's class
     * @param remoteMessage its message, may be null
     * @param remoteStack its stack, as on the remote node
     */
    public RemoteFailure(String remoteClassName, String remoteMessage, List<StackTraceElement> remoteStack) {
        super(remoteMessage == null ? remoteClassName : remoteClassName + ": " + remoteMessage);
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage;
        setStackTrace(remoteStack.toArray(new StackTraceElement[0]));
    }

    /** @return the remote exception's class name */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** @return the remote exception's message, or null */
    public String remoteMessage() {
        return remoteMessage;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // the stack is the remote one, set in the constructor
    }
}
