package io.noex.testkit.chaos;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one chaos node counted and which invariant violations it saw, and the one-line form in
 * which it reports them to the test ({@link #report()}, read back with {@link #parse}). Counters
 * are cumulative over the JVM's life; violations are handed over once each.
 *
 * <p>A violation is counted under {@code violation.<kind>} and its description queued for the
 * next report (at most {@value #MAX_QUEUED} wait; beyond that only the count grows).
 *
 * <p>Threading: thread-safe.
 */
final class ChaosLedger {

    static final int MAX_QUEUED = 200;
    static final String VIOLATION_PREFIX = "violation.";

    private final ConcurrentSkipListMap<String, LongAdder> counters = new ConcurrentSkipListMap<>();
    private final ConcurrentLinkedQueue<String> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final String node;

    /** @param node this node's name, which starts each violation's description */
    ChaosLedger(String node) {
        this.node = node;
    }

    /** @param key a counter, incremented */
    void count(String key) {
        add(key, 1);
    }

    /**
     * @param key a counter
     * @param n added to it
     */
    void add(String key, long n) {
        counters.computeIfAbsent(key, k -> new LongAdder()).add(n);
    }

    /**
     * @param key a counter
     * @return its value
     */
    long get(String key) {
        LongAdder a = counters.get(key);
        return a == null ? 0 : a.sum();
    }

    /**
     * Records a broken invariant.
     *
     * @param kind a short name ({@code cast-loss}, {@code call-late}, ...)
     * @param description what was seen, precise enough to look for the cause
     */
    void violation(String kind, String description) {
        count(VIOLATION_PREFIX + kind);
        if (queued.incrementAndGet() <= MAX_QUEUED) {
            pending.add(node + ": " + kind + ": " + description);
        } else {
            queued.decrementAndGet();
        }
    }

    /** @return the counters and the violations not reported yet, as one line (see {@link #parse}) */
    String report() {
        StringBuilder sb = new StringBuilder();
        counters.forEach((k, v) -> sb.append(k).append('=').append(v.sum()).append(' '));
        String v;
        while ((v = pending.poll()) != null) {
            queued.decrementAndGet();
            sb.append('!').append(Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))).append(' ');
        }
        return sb.toString().trim();
    }

    /**
     * A report read back.
     *
     * @param counters cumulative counters of the reporting JVM
     * @param violations descriptions of violations not reported before
     */
    record Report(Map<String, Long> counters, List<String> violations) {
    }

    /**
     * @param line a {@link #report()} line
     * @return its counters and violations
     * @throws IllegalArgumentException if the line is not a report
     */
    static Report parse(String line) {
        Map<String, Long> counters = new TreeMap<>();
        List<String> violations = new ArrayList<>();
        for (String token : line.trim().split(" ")) {
            if (token.isEmpty()) {
                continue;
            }
            if (token.charAt(0) == '!') {
                violations.add(new String(Base64.getDecoder().decode(token.substring(1)), StandardCharsets.UTF_8));
                continue;
            }
            int eq = token.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not a chaos report token: '" + token + "' in: " + line);
            }
            counters.put(token.substring(0, eq), Long.parseLong(token.substring(eq + 1)));
        }
        return new Report(counters, violations);
    }
}
