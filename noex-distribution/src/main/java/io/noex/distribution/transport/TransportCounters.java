package io.noex.distribution.transport;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The transport's counters: traffic, connections, and each kind of rejected input.
 *
 * <p>Threading: thread-safe; bumped from event loops and senders.
 */
public final class TransportCounters {

    final LongAdder framesIn = new LongAdder();
    final LongAdder framesOut = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder connectionsOpened = new LongAdder();
    final LongAdder connectionsClosed = new LongAdder();
    final LongAdder dials = new LongAdder();
    final LongAdder failedDials = new LongAdder();
    final LongAdder refusedSends = new LongAdder();
    private final EnumMap<ProtocolViolationException.Reason, LongAdder> violations =
            new EnumMap<>(ProtocolViolationException.Reason.class);
    private final IntSupplier pendingHandshakes;

    TransportCounters(IntSupplier pendingHandshakes) {
        this.pendingHandshakes = pendingHandshakes;
        for (ProtocolViolationException.Reason r : ProtocolViolationException.Reason.values()) {
            violations.put(r, new LongAdder());
        }
    }

    void violation(ProtocolViolationException.Reason reason) {
        violations.get(reason).increment();
    }

    /** @return frames received */
    public long framesIn() {
        return framesIn.sum();
    }

    /** @return frames sent */
    public long framesOut() {
        return framesOut.sum();
    }

    /** @return payload bytes received */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /** @return payload bytes sent */
    public long bytesOut() {
        return bytesOut.sum();
    }

    /** @return connections that completed the handshake */
    public long connectionsOpened() {
        return connectionsOpened.sum();
    }

    /** @return established connections that closed */
    public long connectionsClosed() {
        return connectionsClosed.sum();
    }

    /** @return dial attempts (first tries and redials) */
    public long dials() {
        return dials.sum();
    }

    /** @return dial attempts that failed */
    public long failedDials() {
        return failedDials.sum();
    }

    /** @return accepted connections whose handshake has not ended yet (a gauge, bounded by the pending-handshake limits) */
    public int pendingHandshakes() {
        return pendingHandshakes.getAsInt();
    }

    /** @return sends refused because the connection's queue was over its high-water mark */
    public long refusedSends() {
        return refusedSends.sum();
    }

    /**
     * @param reason a kind of protocol violation
     * @return how many connections were closed for it
     */
    public long violations(ProtocolViolationException.Reason reason) {
        return violations.get(reason).sum();
    }

    /** @return every violation counter */
    public Map<ProtocolViolationException.Reason, Long> violations() {
        Map<ProtocolViolationException.Reason, Long> out = new EnumMap<>(ProtocolViolationException.Reason.class);
        violations.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
