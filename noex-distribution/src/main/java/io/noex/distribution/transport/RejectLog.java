package io.noex.distribution.transport;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs rejected input at most once per (peer IP address, reason) per minute, and at most
 * {@link #MAX_LINES_PER_WINDOW} lines a minute in all, so that neither one hostile peer (also not
 * by opening a new connection, a new source port, for each bad input) nor a flood from many
 * addresses can flood the log; the counters still count every rejection, and the next line logged
 * says how many were left out.
 *
 * <p>Threading: thread-safe (one lock; rejections are the slow path).
 */
final class RejectLog {

    static final long WINDOW_NANOS = 60_000_000_000L;
    /** Lines logged per minute at most, whatever the number of addresses. */
    static final int MAX_LINES_PER_WINDOW = 20;
    private static final int MAX_KEYS = 10_000;

    private final Logger log;
    private final LongSupplier nanoTime;
    private final Map<String, Long> lastLogged = new HashMap<>();
    private long windowStart;
    private int linesInWindow;
    private long notLogged;

    RejectLog(Logger log, LongSupplier nanoTime) {
        this.log = log;
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong();
    }

    /**
     * @param remote the peer's socket address (null if unknown)
     * @return the key rejections from that peer share: its IP address, without the port
     */
    static String addressOf(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(remote);
    }

    /**
     * @param from the peer's socket address (its port is ignored for rate limiting)
     * @return true if the message was logged (false if suppressed)
     */
    synchronized boolean warn(SocketAddress from, ProtocolViolationException.Reason reason, String message) {
        String peer = addressOf(from);
        long now = nanoTime.getAsLong();
        if (now - windowStart >= WINDOW_NANOS) {
            windowStart = now;
            linesInWindow = 0;
        }
        String key = peer + "|" + reason;
        Long last = lastLogged.get(key);
        if ((last != null && now - last < WINDOW_NANOS) || linesInWindow >= MAX_LINES_PER_WINDOW) {
            notLogged++;
            return false;
        }
        if (lastLogged.size() >= MAX_KEYS) {
            forgetExpired(now);
        }
        lastLogged.put(key, now);
        linesInWindow++;
        long left = notLogged;
        notLogged = 0;
        log.warn("closed connection from {}: {} ({}); further {} rejections from {} are not logged for a minute{}",
                from, message, reason, reason, peer, left == 0 ? "" : " (" + left + " earlier rejections were not logged)");
        return true;
    }

    /** Bounded memory under a flood from many addresses: drop the keys whose minute is over. */
    private void forgetExpired(long now) {
        for (Iterator<Long> it = lastLogged.values().iterator(); it.hasNext(); ) {
            if (now - it.next() >= WINDOW_NANOS) {
                it.remove();
            }
        }
        if (lastLogged.size() >= MAX_KEYS) {
            // Every key is recent: forgetting them can only re-allow lines that the per-minute
            // budget above still bounds.
            lastLogged.clear();
        }
    }
}
