package io.noex.distribution.transport;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs rejected input at most once per (peer address, reason) per minute, so a hostile or broken
 * peer cannot flood the log; the counters still count every rejection.
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

    /** @return true if the message was logged (false if suppressed) */
    boolean warn(String address, ProtocolViolationException.Reason reason, String message) {
        long now = nanoTime.getAsLong();
        String key = address + "|" + reason;
        Long last = lastLogged.get(key);
        if (last != null && now - last < WINDOW_NANOS) {
            return false;
        }
        if (lastLogged.size() >= MAX_KEYS) {
            lastLogged.clear(); // bounded memory under a flood from many addresses
        }
        lastLogged.put(key, now);
        log.warn("closed connection from {}: {} ({}); further {} rejections from this address are not logged for a minute",
                address, message, reason, reason);
        return true;
    }
}
