package io.noex;

import io.noex.time.Cancellable;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code sendAfter} and {@code cancelTimer} on the node's injected scheduler. A timer aimed at a
 * local process is cancelled when that process exits (as Erlang does), so timers never outlive
 * their target and never pile up.
 *
 * <p>Threading: thread-safe; timers fire on the scheduler's thread and only enqueue a message.
 */
final class Timers {

    private static final class Pending {
        final GenServerRef target;
        final ServerProcess local;
        final Object msg;
        volatile Cancellable handle;

        Pending(GenServerRef target, ServerProcess local, Object msg) {
            this.target = target;
            this.local = local;
            this.msg = msg;
        }
    }

    private final Node node;
    private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();

    Timers(Node node) {
        this.node = node;
    }

    TimerRef sendAfter(GenServerRef target, Object msg, Duration delay) {
        long id = counter.incrementAndGet();
        TimerRef ref = new TimerRef(id);
        ServerProcess local = null;
        if (node.isLocal(target.nodeId()) && target.isProcessId()) {
            local = node.table().get(target.id());
            if (local == null) {
                return ref; // a timer to a dead process does nothing (Erlang)
            }
        }
        Pending t = new Pending(target, local, msg);
        pending.put(id, t);
        if (local != null && !local.addTimer(id)) {
            pending.remove(id);
            return ref;
        }
        t.handle = node.scheduler().schedule(() -> fire(id), delay);
        return ref;
    }

    private void fire(long id) {
        Pending t = pending.remove(id);
        if (t == null) {
            return;
        }
        if (t.local != null) {
            t.local.removeTimer(id);
            if (!t.local.enqueue(new Envelope.Info(t.msg))) {
                node.counters().messageDropped();
            }
        } else {
            node.send(t.target, t.msg);
        }
    }

    /** @return true if the timer had not fired yet (its message will never arrive) */
    boolean cancel(TimerRef ref) {
        Pending t = pending.remove(ref.id());
        if (t == null) {
            return false;
        }
        Cancellable h = t.handle;
        if (h != null) {
            h.cancel();
        }
        if (t.local != null) {
            t.local.removeTimer(ref.id());
        }
        return true;
    }

    void cancelOnExit(long id) {
        Pending t = pending.remove(id);
        if (t != null && t.handle != null) {
            t.handle.cancel();
        }
    }

    int pendingCount() {
        return pending.size();
    }
}
