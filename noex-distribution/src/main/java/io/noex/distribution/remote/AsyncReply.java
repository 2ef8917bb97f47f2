package io.noex.distribution.remote;

import io.noex.NoexException;
import io.noex.NodeId;
import io.noex.time.Cancellable;
import java.util.concurrent.CompletableFuture;

/**
 * A non-blocking wait for one answer from another node: a future, failed by a timer if no answer
 * comes in time.
 *
 * <p>Threading: completed from any thread; first completion wins.
 */
final class AsyncReply extends CompletableFuture<Object> implements Pending {

    private final NodeId node;
    private final long incarnation;
    private volatile Cancellable timer;

    AsyncReply(NodeId node, long incarnation) {
        this.node = node;
        this.incarnation = incarnation;
    }

    @Override
    public NodeId node() {
        return node;
    }

    @Override
    public long incarnation() {
        return incarnation;
    }

    void timeoutWith(Cancellable timer) {
        this.timer = timer;
        if (isDone()) {
            timer.cancel();
        }
    }

    @Override
    public void answer(Object value) {
        if (complete(value)) {
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
