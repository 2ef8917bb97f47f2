package io.noex.distribution.remote;

import io.noex.NoexException;
import io.noex.NodeId;
import io.noex.spi.OneShot;

/**
 * A blocking wait for one answer from another node: the event loop that receives the answer
 * completes it; the requesting thread parks on it at once. Unlike a local call it never spins: a
 * network round trip takes longer than any useful spin, and the spinning core is the one the
 * event loop and the answering process need (measured in {@code ClusterBench}).
 *
 * <p>Threading: completed from any thread, first outcome wins; awaited by the creating thread.
 */
final class RemoteReplySlot extends OneShot implements Pending {

    private static final Object NULL = new Object();

    private record Failure(NoexException error) {
    }

    private final NodeId node;
    private final long incarnation;

    RemoteReplySlot(NodeId node, long incarnation) {
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

    @Override
    public boolean waiterSpins() {
        return false;
    }

    @Override
    public void answer(Object value) {
        complete(value == null ? NULL : value);
    }

    @Override
    public void fail(NoexException error) {
        complete(new Failure(error));
    }

    /**
     * @return the answer, or {@link #TIMED_OUT} / {@link #INTERRUPTED}
     * @throws NoexException the failure the request ended with
     */
    Object await(long timeoutNanos) {
        Object o = awaitOutcome(timeoutNanos);
        if (o == NULL) {
            return null;
        }
        if (o instanceof Failure f) {
            throw f.error();
        }
        return o;
    }
}
