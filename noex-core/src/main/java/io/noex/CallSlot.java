package io.noex;

import io.noex.spi.OneShot;

import io.noex.spi.ReplySink;
import java.time.Duration;

/**
 * The reply slot of one blocking local call: the server completes it, the caller waits on it.
 *
 * <p>Threading: {@link #reply}/{@link #fail} from any thread (first wins); {@link #await} only on
 * the calling thread.
 */
final class CallSlot extends OneShot implements ReplySink {

    private static final Object NULL_REPLY = new Object();

    private record Failure(NoexException error) {
    }

    @Override
    public void reply(Object value) {
        complete(value == null ? NULL_REPLY : value);
    }

    @Override
    public void fail(NoexException error) {
        complete(new Failure(error));
    }

    @Override
    public boolean isDone() {
        return isSet();
    }

    @Override
    public boolean callerSpins() {
        return waiterSpins();
    }

    /**
     * @param server the called process, for the exceptions
     * @param timeout the call timeout
     * @return the reply
     * @throws NoexException the failure the server reported, or a timeout or interruption
     */
    Object await(GenServerRef server, Duration timeout) {
        Object o = awaitOutcome(timeout.toNanos());
        if (o == NULL_REPLY) {
            return null;
        }
        if (o instanceof Failure f) {
            throw withCallerStack(f.error());
        }
        if (o == TIMED_OUT) {
            throw new CallTimeoutException(server, timeout);
        }
        if (o == INTERRUPTED) {
            throw new CallInterruptedException(server);
        }
        return o;
    }

    /** The failure was created on the server's thread; its stack says nothing about the caller. */
    private static NoexException withCallerStack(NoexException e) {
        e.addSuppressed(new CallSite());
        return e;
    }

    /** Records where the caller was waiting when the failure reached it. */
    private static final class CallSite extends RuntimeException {
        CallSite() {
            super("caller's stack", null, false, true);
        }
    }
}
