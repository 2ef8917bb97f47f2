package io.noex.testkit.chaos;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Measures the time this JVM was not running: a platform thread wakes every
 * {@value #TICK_MILLIS} ms, and a wake-up later than {@value #STALL_MILLIS} ms counts the excess
 * as a stall (the JVM was frozen with {@code SIGSTOP}, or starved of CPU, or paused for GC). A
 * call's deadline check subtracts the stalls that overlapped it: a caller that was not running
 * cannot be blamed for not ending on time, and a caller that was can.
 *
 * <p>Threading: thread-safe; one daemon thread of its own.
 */
final class StallClock implements AutoCloseable {

    static final long TICK_MILLIS = 10;
    static final long STALL_MILLIS = 60;
    /** Stalls older than this are forgotten; no call lasts longer. */
    private static final long KEEP_NANOS = TimeUnit.MINUTES.toNanos(2);

    private final ArrayDeque<long[]> stalls = new ArrayDeque<>();
    private final Thread thread;
    private volatile boolean closed;
    private long totalNanos;
    private long longestNanos;

    StallClock() {
        thread = new Thread(this::run, "noex-chaos-stall-clock");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    private void run() {
        long last = System.nanoTime();
        while (!closed) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long gap = now - last;
            if (gap > TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS)) {
                record(last + TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS), now);
            }
            last = now;
        }
    }

    private synchronized void record(long from, long to) {
        stalls.addLast(new long[] {from, to});
        totalNanos += to - from;
        longestNanos = Math.max(longestNanos, to - from);
        while (!stalls.isEmpty() && stalls.peekFirst()[1] < to - KEEP_NANOS) {
            stalls.removeFirst();
        }
    }

    /**
     * @param from a {@link System#nanoTime()} reading
     * @param to a later one
     * @return how long this JVM stalled between them, in nanoseconds
     */
    synchronized long stalledBetween(long from, long to) {
        long sum = 0;
        for (long[] s : stalls) {
            long a = Math.max(from, s[0]);
            long b = Math.min(to, s[1]);
            if (b > a) {
                sum += b - a;
            }
        }
        return sum;
    }

    /** @return total stalled time seen, in nanoseconds */
    synchronized long totalNanos() {
        return totalNanos;
    }

    /** @return the longest stall seen, in nanoseconds */
    synchronized long longestNanos() {
        return longestNanos;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
