package io.noex.distribution.transport;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs rejected input at most once per (peer IP address, reason) per minute, so a hostile or
 * broken peer cannot flood the log, also not by opening a new connection (a new source port) for
 * each bad input; the counters still count every rejection.
 *
 * <p>Threading: thread-safe.
 */
final class RejectLog {

    private static final long WINDOW_NANOS = 60_000_000_000L;
    private static final int MAX_KEYS = 10_000;

    private final Logger log;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Long> lastLogged = new ConcurrentHashMap<>();

    RejectLog(Logger log, LongSupplier nanoTime) {
        this.log = log;
        this.nanoTime = nanoTime;
    }

    /**
     * @param from the peer's socket address (its port is ignored for rate limiting)
     * @return true if the message was logged (false if suppressed)
     */
    boolean warn(SocketAddress from, ProtocolViolationException.Reason reason, String message) {
        String peer = from instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(from);
        long now = nanoTime.getAsLong();
        String key = peer + "|" + reason;
        Long last = lastLogged.get(key);
        if (last != null && now - last < WINDOW_NANOS) {
            return false;
        }
        if (lastLogged.size() >= MAX_KEYS) {
            lastLogged.clear(); // bounded memory under a flood from many addresses
        }
        lastLogged.put(key, now);
        log.warn("closed connection from {}: {} ({}); further {} rejections from {} are not logged for a minute",
                from, message, reason, reason, peer);
        return true;
    }
}
