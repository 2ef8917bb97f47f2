package io.noex.spi;

import io.noex.NoexException;

/**
 * Where the answer to one call goes: a local caller waiting on its thread, a future, or a remote
 * caller on another node (the distribution layer's sink sends a {@code call_reply} frame).
 *
 * <p>Contract: only the first of {@link #reply} and {@link #fail} takes effect; later calls are
 * ignored. Both may be called from any thread, must not block, and must not throw.
 */
public interface ReplySink {

    /** @param value the reply, may be null */
    void reply(Object value);

    /** @param error why there is no reply */
    void fail(NoexException error);

    /** @return true once a reply or failure was taken, or the caller stopped waiting */
    boolean isDone();

    /**
     * @return true if the caller waits by spinning on a platform thread, so it will likely send
     *     its next request within microseconds (the server then keeps its thread a little longer)
     */
    default boolean callerSpins() {
        return false;
    }
}
