package io.noex;

import io.noex.spi.ReplySink;
import io.noex.time.Cancellable;

/**
 * The reply slot of {@code callAsync}: a future the server completes, failed by a timer on the
 * node's scheduler if no answer comes in time.
 *
 * <p>Threading: completed from any thread; first completion wins.
 */
final class AsyncCallSink<T> extends java.util.concurrent.CompletableFuture<T> implements ReplySink {

    private volatile Cancellable timer;

    void timeoutWith(Cancellable timer) {
        this.timer = timer;
        if (isDone()) {
            timer.cancel();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void reply(Object value) {
        if (complete((T) value)) {
            cancelTimer();
        }
    }

    @Override
    public void fail(NoexException error) {
        if (completeExceptionally(error)) {
            cancelTimer();
        }
    }

    private void cancelTimer() {
        Cancellable t = timer;
        if (t != null) {
            t.cancel();
        }
    }
}
