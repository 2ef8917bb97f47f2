package io.noex.testkit.chaos;

import io.noex.CallTimeoutException;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.NodeNotReachableException;
import io.noex.ServerNotRunningException;
import io.noex.testkit.chaos.ChaosMessages.Ping;
import io.noex.testkit.chaos.ChaosMessages.Pong;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady calls from this node to every peer's {@link EchoServer}, and the two call invariants:
 * <ul>
 *   <li><b>every call ends</b>, with its reply or one of the defined exceptions (timeout, node
 *       not reachable, server not running), within its timeout plus {@value #GRACE_MILLIS} ms, not
 *       counting the time this JVM itself was stalled ({@link StallClock}); a call still pending
 *       past that is reported by a watchdog without waiting for it to end;</li>
 *   <li><b>no reply goes to the wrong call</b>: each {@link Ping} carries an id unique in this
 *       JVM, and the {@link Pong} must echo it and name the node called.</li>
 * </ul>
 * Per peer, one virtual thread makes blocking calls one after another, and another keeps up to
 * {@code asyncInFlight} asynchronous calls in flight, so replies interleave on each connection.
 *
 * <p>Threading: thread-safe; its own virtual threads and one scheduler thread.
 */
final class CallLoad implements AutoCloseable {

    static final long GRACE_MILLIS = 1000;
    static final String ECHO = "chaos-echo";

    /** @param overdue set by the first watchdog scan that finds it late; the next one reports it */
    private record InFlight(String peer, long startNanos, AtomicBoolean flagged, AtomicBoolean overdue) {
    }

    private final Node node;
    private final String self;
    private final List<NodeId> peers;
    private final Duration timeout;
    private final Duration pause;
    private final int asyncInFlight;
    private final ChaosLedger ledger;
    private final StallClock stalls;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, InFlight> inFlight = new ConcurrentHashMap<>();
    private final ScheduledExecutorService checker;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    CallLoad(Node node, String self, List<NodeId> peers, Duration timeout, Duration pause, int asyncInFlight,
             ChaosLedger ledger, StallClock stalls) {
        this.node = node;
        this.self = self;
        this.peers = List.copyOf(peers);
        this.timeout = timeout;
        this.pause = pause;
        this.asyncInFlight = asyncInFlight;
        this.ledger = ledger;
        this.stalls = stalls;
        this.checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "noex-chaos-call-checker");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the callers and the watchdog. */
    void start() {
        for (NodeId peer : peers) {
            GenServerRef echo = new GenServerRef(ECHO, peer);
            threads.add(Thread.ofVirtual().name("noex-chaos-call-" + peer.name()).start(() -> blockingLoop(peer, echo)));
            threads.add(Thread.ofVirtual().name("noex-chaos-async-" + peer.name()).start(() -> asyncLoop(peer, echo)));
        }
        checker.scheduleWithFixedDelay(this::watchdog, 250, 250, TimeUnit.MILLISECONDS);
    }

    private void blockingLoop(NodeId peer, GenServerRef echo) {
        while (running) {
            long id = ids.incrementAndGet();
            InFlight f = begin(id, peer);
            Object reply = null;
            Throwable error = null;
            try {
                reply = node.call(echo, new Ping(id, self), timeout);
            } catch (RuntimeException e) {
                error = e;
            }
            end(id, f, peer, reply, error);
            if (!sleep(pause)) {
                return;
            }
        }
    }

    private void asyncLoop(NodeId peer, GenServerRef echo) {
        Semaphore slots = new Semaphore(asyncInFlight);
        while (running) {
            try {
                if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            long id = ids.incrementAndGet();
            InFlight f = begin(id, peer);
            try {
                node.callAsync(echo, new Ping(id, self), timeout).whenComplete((reply, error) -> {
                    slots.release();
                    end(id, f, peer, reply, error);
                });
            } catch (RuntimeException e) {
                slots.release();
                end(id, f, peer, null, e);
            }
            if (!sleep(pause)) {
                return;
            }
        }
    }

    private InFlight begin(long id, NodeId peer) {
        InFlight f = new InFlight(peer.name(), System.nanoTime(), new AtomicBoolean(), new AtomicBoolean());
        inFlight.put(id, f);
        ledger.count("calls.made");
        return f;
    }

    /** Classifies a finished call; runs on the caller's thread or wherever the future completed (never blocks). */
    private void end(long id, InFlight f, NodeId peer, Object reply, Throwable error) {
        long endNanos = System.nanoTime();
        inFlight.remove(id);
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e == null) {
            if (reply instanceof Pong p && p.id() == id && p.node().equals(peer.name())) {
                ledger.count("calls.ok");
            } else {
                ledger.violation("call-wrong-reply", "call #" + id + " to " + peer.name() + " was answered " + reply);
            }
        } else if (e instanceof CallTimeoutException) {
            ledger.count("calls.timeout");
        } else if (e instanceof NodeNotReachableException) {
            ledger.count("calls.unreachable");
        } else if (e instanceof ServerNotRunningException) {
            ledger.count("calls.notRunning");
        } else {
            ledger.violation("call-unexpected", "call #" + id + " to " + peer.name() + " failed with " + e);
        }
        if (!f.flagged().get() && late(f.startNanos(), endNanos) > 0) {
            // The stall clock may not have recorded a stall that just ended: judge a little later.
            checker.schedule(() -> {
                long over = late(f.startNanos(), endNanos);
                if (over > 0 && f.flagged().compareAndSet(false, true)) {
                    ledger.violation("call-late", "call #" + id + " to " + peer.name() + " ended after "
                            + TimeUnit.NANOSECONDS.toMillis(endNanos - f.startNanos()) + " ms ("
                            + TimeUnit.NANOSECONDS.toMillis(stalls.stalledBetween(f.startNanos(), endNanos))
                            + " ms of it stalled), over its timeout " + timeout.toMillis() + " ms + " + GRACE_MILLIS
                            + " ms by " + TimeUnit.NANOSECONDS.toMillis(over) + " ms; outcome: "
                            + (e == null ? "reply" : e.getClass().getSimpleName()));
                }
            }, 3 * StallClock.TICK_MILLIS + 50, TimeUnit.MILLISECONDS);
        }
    }

    /** @return by how much a call from {@code start} to {@code end} overran its bound, stalls excluded (≤ 0: not late) */
    private long late(long start, long end) {
        long bound = timeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
        return end - start - stalls.stalledBetween(start, end) - bound;
    }

    /**
     * Reports calls pending past their bound. A call is reported by the second scan that finds it
     * late, not the first: right after this JVM resumes from a freeze, the scan may run before the
     * {@link StallClock} has recorded the stall.
     */
    private void watchdog() {
        long now = System.nanoTime();
        inFlight.forEach((id, f) -> {
            if (late(f.startNanos(), now) <= 0) {
                return;
            }
            if (f.overdue().compareAndSet(false, true)) {
                return;
            }
            if (f.flagged().compareAndSet(false, true)) {
                ledger.violation("call-hung", "call #" + id + " to " + f.peer() + " still pending after "
                        + TimeUnit.NANOSECONDS.toMillis(now - f.startNanos()) + " ms (timeout " + timeout.toMillis() + " ms)");
            }
        });
    }

    /** @return calls in flight now */
    int inFlight() {
        return inFlight.size();
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d);
            return running;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /**
     * Stops issuing calls and waits for those in flight to end (at most their timeout plus the
     * grace), so that the final report covers every call made.
     */
    @Override
    public void close() {
        running = false;
        long deadline = System.nanoTime() + timeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(2 * GRACE_MILLIS);
        for (Thread t : threads) {
            try {
                t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            watchdog();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        watchdog();
        checker.shutdown();
        try {
            checker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
