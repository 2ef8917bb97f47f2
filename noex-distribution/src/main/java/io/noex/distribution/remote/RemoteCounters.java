package io.noex.distribution.remote;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the remote layer: what was served, dropped, late or refused.
 *
 * <p>Threading: thread-safe.
 */
public final class RemoteCounters {

    final LongAdder callsServed = new LongAdder();
    final LongAdder callTimeouts = new LongAdder();
    final LongAdder droppedCasts = new LongAdder();
    final LongAdder lateReplies = new LongAdder();
    final LongAdder misdirectedReplies = new LongAdder();
    final LongAdder undecodableRequests = new LongAdder();
    final LongAdder spawnsServed = new LongAdder();

    /** @return calls from other nodes handed to local processes */
    public long callsServed() {
        return callsServed.sum();
    }

    /** @return calls from this node that timed out */
    public long callTimeouts() {
        return callTimeouts.sum();
    }

    /** @return casts and sends dropped (no connection, full queue, or no such process on arrival) */
    public long droppedCasts() {
        return droppedCasts.sum();
    }

    /** @return replies that arrived after their caller gave up */
    public long lateReplies() {
        return lateReplies.sum();
    }

    /** @return replies from a node the request did not go to (ignored) */
    public long misdirectedReplies() {
        return misdirectedReplies.sum();
    }

    /** @return requests whose values this node could not decode (answered with an error) */
    public long undecodableRequests() {
        return undecodableRequests.sum();
    }

    /** @return spawn requests from other nodes handled here */
    public long spawnsServed() {
        return spawnsServed.sum();
    }
}
