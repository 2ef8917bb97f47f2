package io.noex.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} whose time moves only when a test says so. {@link #advance(Duration)} runs,
 * on the calling thread and in time order, every task that falls due; tasks scheduled by those
 * tasks run too if they fall due within the advanced span. Timing logic (timers, restart windows,
 * heartbeats) is then tested without sleeping:
 * {@snippet :
 * ManualScheduler time = new ManualScheduler();
 * Node node = Node.builder().scheduler(time).build();
 * node.sendAfter(ref, "tick", Duration.ofSeconds(30));
 * time.advance(Duration.ofSeconds(30));   // "tick" is delivered now
 * }
 *
 * <p>Threading: thread-safe; tasks run on the thread that calls {@link #advance}.
 */
public final class ManualScheduler implements Scheduler {

    private static final class Task implements Comparable<Task> {
        final long due;
        final long seq;
        final Runnable body;
        boolean cancelled;

        Task(long due, long seq, Runnable body) {
            this.due = due;
            this.seq = seq;
            this.body = body;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final Instant epoch;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long now;
    private long seq;
    private boolean closed;

    /** Starts at nanoTime 0 and wall time 2000-01-01T00:00:00Z. */
    public ManualScheduler() {
        this(Instant.parse("2000-01-01T00:00:00Z"));
    }

    /** @param epoch the wall time at nanoTime 0 */
    public ManualScheduler(Instant epoch) {
        this.epoch = epoch;
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Instant now() {
        return epoch.plusNanos(now);
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        if (closed) {
            return () -> false;
        }
        Task t = new Task(now + Math.max(0, delay.toNanos()), seq++, task);
        queue.add(t);
        return () -> {
            synchronized (ManualScheduler.this) {
                if (t.cancelled || !queue.remove(t)) {
                    return false;
                }
                t.cancelled = true;
                return true;
            }
        };
    }

    /**
     * Moves time forward, running due tasks in order.
     *
     * @param span how far; not negative
     */
    public void advance(Duration span) {
        if (span.isNegative()) {
            throw new IllegalArgumentException("cannot move time backwards: " + span);
        }
        long target;
        synchronized (this) {
            target = now + span.toNanos();
        }
        for (;;) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due > target) {
                    now = target;
                    return;
                }
                queue.poll();
                now = Math.max(now, next.due);
            }
            next.body.run();
        }
    }

    /** @return tasks waiting to run */
    public synchronized int pendingTasks() {
        return queue.size();
    }

    /** @return the due times (nanoTime) of waiting tasks, in order */
    public synchronized List<Long> dueTimes() {
        List<Long> out = new ArrayList<>();
        queue.stream().sorted().forEach(t -> out.add(t.due));
        return out;
    }

    @Override
    public synchronized void close() {
        closed = true;
        queue.clear();
    }
}
