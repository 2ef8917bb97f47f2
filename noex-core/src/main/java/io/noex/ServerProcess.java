package io.noex;

import io.noex.spi.DownListener;
import io.noex.spi.ReplySink;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One GenServer: its mailbox, its state, its scheduling status and its exit. The longest class of
 * the runtime (about 450 lines) because the mailbox drain, the callback contract and the exit
 * procedure share one state machine whose transitions are easiest to check side by side.
 *
 * <h2>Scheduling</h2>
 * An idle process holds no thread. {@link #enqueue} puts an envelope in the mailbox and, if the
 * process was {@code IDLE}, moves it to {@code SCHEDULED} and starts a virtual thread that
 * drains the mailbox. The drain lingers a few microseconds when the mailbox runs dry (a caller
 * that just got its reply usually sends the next request within that time), then goes back to
 * {@code IDLE} and the thread ends.
 *
 * <pre>
 *   IDLE --enqueue--&gt; SCHEDULED --mailbox empty--&gt; IDLE
 *     \                   |
 *      `-----exit------&gt; EXITED  (terminal; set only by {@link #exit})
 * </pre>
 *
 * <h2>Threading</h2>
 * Callbacks and {@code state} belong to the process's own thread (one drain at a time, by the
 * status machine). {@link #enqueue}, {@link #kill}, {@link #exitSignal} and the signal-table
 * methods may be called from any thread; the signal table and the owed replies are guarded by
 * this object's monitor, which is never held while calling out. {@link #exit} runs exactly once,
 * on whichever thread wins the race to set the exit reason.
 */
final class ServerProcess implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ServerProcess.class);

    static final int IDLE = 0;
    static final int SCHEDULED = 1;
    static final int EXITED = 2;

    /**
     * How long a drain spins for more mail after answering a caller that spins on a platform
     * thread: such a caller sends its next request within microseconds, and catching it here
     * saves starting a thread and waking a carrier (the difference between about 0.3 and 3 million
     * sequential calls per second, measured in LocalCallBenchmark).
     */
    private static final long CALL_LINGER_NANOS = 20_000;
    /** How long a drain spins for more mail otherwise: just enough to catch a burst's next message. */
    private static final long SHORT_LINGER_NANOS = 1_000;

    private static final VarHandle STATUS;
    private static final VarHandle EXIT_REASON;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATUS = l.findVarHandle(ServerProcess.class, "status", int.class);
            EXIT_REASON = l.findVarHandle(ServerProcess.class, "exitReason", ExitReason.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Node node;
    final GenServerRef ref;
    final boolean trapExit;
    private final GenServerBehavior<Object> behavior;
    private final ConcurrentLinkedQueue<Envelope> mailbox = new ConcurrentLinkedQueue<>();

    private volatile int status = SCHEDULED;
    private volatile ExitReason exitReason;
    private volatile Thread runner;
    /** The local name, guarded by this object's monitor; see {@link ProcessTable}. */
    String registeredName;

    // Owned by the process thread.
    private Object state;
    private InitRequest init;
    private Envelope current;
    private ExitReason selfStop;
    private long lingerNanos = SHORT_LINGER_NANOS;

    // Guarded by this.
    private SignalTable signals;
    private List<ReplySink> owed;
    private List<ExitWaiter> exitWaiters;

    @SuppressWarnings("unchecked")
    ServerProcess(Node node, GenServerRef ref, GenServerBehavior<?> behavior, boolean trapExit, InitRequest init) {
        this.node = node;
        this.ref = ref;
        this.behavior = (GenServerBehavior<Object>) behavior;
        this.trapExit = trapExit;
        this.init = init;
    }

    String id() {
        return ref.id();
    }

    boolean isAlive() {
        return exitReason == null;
    }

    ExitReason exitReason() {
        return exitReason;
    }

    GenServerBehavior<Object> behavior() {
        return behavior;
    }

    // ------------------------------------------------------------------ mailbox

    /**
     * Puts an envelope in the mailbox and makes sure a drain will see it.
     *
     * @return false if the process had already exited (nothing was queued)
     */
    boolean enqueue(Envelope e) {
        if (exitReason != null) {
            return false;
        }
        mailbox.offer(e);
        for (;;) {
            int s = status;
            if (s == SCHEDULED) {
                return true;
            }
            if (s == EXITED) {
                // Raced with exit: whoever sees EXITED fails what is left, so no caller waits
                // for a reply from a dead mailbox.
                rejectPending();
                return true;
            }
            if (STATUS.compareAndSet(this, IDLE, SCHEDULED)) {
                node.startProcessThread(this);
                return true;
            }
        }
    }

    /** Starts the first drain, which runs {@code init} before any message. */
    void startInit() {
        node.startProcessThread(this);
    }

    @Override
    public void run() {
        runner = Thread.currentThread();
        ProcessContext.bind(this);
        try {
            if (exitReason != null) {
                rejectPending();
                return;
            }
            InitRequest req = init;
            if (req != null) {
                init = null;
                if (!runInit(req)) {
                    return;
                }
            }
            drain();
        } catch (Throwable t) {
            // A bug in the runtime itself, not in a callback: fail loudly, keep the node alive.
            log.error("internal error in the drain loop of {}", ref, t);
            exit(ExitReason.error("internal error: " + t, t));
        } finally {
            runner = null;
        }
    }

    private void drain() {
        for (;;) {
            Envelope e = mailbox.poll();
            if (e == null) {
                e = linger();
            }
            if (e == null) {
                if (!STATUS.compareAndSet(this, SCHEDULED, IDLE)) {
                    return;
                }
                if (mailbox.isEmpty() || !STATUS.compareAndSet(this, IDLE, SCHEDULED)) {
                    return;
                }
                continue;
            }
            if (exitReason != null) {
                reject(e, exitReason);
                rejectPending();
                return;
            }
            dispatch(e);
            if (exitReason != null) {
                return;
            }
        }
    }

    /**
     * Spins (holding the carrier, never yielding it: a yield hands the carrier to the scheduler
     * and costs more than the wait) for at most {@link #lingerNanos}; after answering a virtual
     * caller the linger is short, because that caller needs a carrier to run on.
     */
    private Envelope linger() {
        long start = System.nanoTime();
        long limit = lingerNanos;
        do {
            Thread.onSpinWait();
            Envelope e = mailbox.poll();
            if (e != null) {
                return e;
            }
        } while (System.nanoTime() - start < limit && exitReason == null);
        return null;
    }

    // ------------------------------------------------------------------ callbacks

    private boolean runInit(InitRequest req) {
        Object s;
        try {
            s = behavior.init(req.args());
        } catch (Throwable t) {
            if (exitReason == null) {
                exit(ExitReason.error(t));
                req.fail("init of " + ref + " threw " + t, t);
            }
            return false;
        }
        if (s == null) {
            if (exitReason == null) {
                exit(ExitReason.error("bad return value from init: null"));
                req.fail("init of " + ref + " returned null (the state must not be null)", null);
            }
            return false;
        }
        state = s;
        // A starter spinning on a platform thread usually acts on the new process at once.
        lingerNanos = req.waiterSpins() ? CALL_LINGER_NANOS : SHORT_LINGER_NANOS;
        // False when start() gave up waiting (init timeout): it has killed this process.
        return req.succeed() && exitReason == null;
    }

    private void dispatch(Envelope e) {
        node.counters().messageHandled();
        lingerNanos = e instanceof Envelope.Call c && c.from().callerSpins() ? CALL_LINGER_NANOS : SHORT_LINGER_NANOS;
        current = e;
        try {
            switch (e) {
                case Envelope.Call c -> onCall(c);
                case Envelope.Cast c -> onMessage(Callback.HANDLE_CAST, c.msg());
                case Envelope.Info i -> onMessage(Callback.HANDLE_INFO, i.msg());
                case Envelope.MonitorDown d -> {
                    if (takeHeld(d.down().monitorRef())) {
                        onMessage(Callback.HANDLE_INFO, d.down());
                    }
                }
                case Envelope.Stop s -> terminateAndExit(s.reason());
            }
        } finally {
            current = null;
        }
        ExitReason stop = selfStop;
        if (stop != null && exitReason == null) {
            selfStop = null;
            terminateAndExit(stop);
        }
    }

    /** The callbacks that handle messages; their names appear in "bad return value" reasons. */
    private enum Callback {
        HANDLE_CALL("handleCall"), HANDLE_CAST("handleCast"), HANDLE_INFO("handleInfo");

        final String method;

        Callback(String method) {
            this.method = method;
        }
    }

    private void onCall(Envelope.Call c) {
        Object result;
        try {
            result = behavior.handleCall(c.msg(), state);
        } catch (UnknownMessageException u) {
            c.from().fail(u);
            return;
        } catch (Throwable t) {
            crash(ExitReason.error(t), t, c.from());
            return;
        }
        if (exitReason != null) {
            return; // killed while the callback ran; its result belongs to no one
        }
        if (!(result instanceof CallResult<?> r) || r.newState() == null) {
            crash(badReturn(Callback.HANDLE_CALL, result), null, c.from());
            return;
        }
        state = r.newState();
        switch (r) {
            case CallResult.Reply<?> reply -> c.from().reply(reply.reply());
            case CallResult.NoReply<?> ignored -> owe(c.from());
            case CallResult.Stop<?> stop -> {
                terminateAndExit(stop.reason()); // OTP order: terminate, then the reply
                c.from().reply(stop.reply());
            }
        }
    }

    private void onMessage(Callback which, Object msg) {
        Object next;
        try {
            next = which == Callback.HANDLE_CAST ? behavior.handleCast(msg, state) : behavior.handleInfo(msg, state);
        } catch (UnknownMessageException u) {
            log.warn("{} rejected a message in {}: {}", ref, which.method, u.getMessage());
            return;
        } catch (Throwable t) {
            crash(ExitReason.error(t), t, null);
            return;
        }
        if (exitReason != null) {
            return;
        }
        if (next == null) {
            crash(badReturn(which, null), null, null);
            return;
        }
        state = next;
    }

    private static ExitReason badReturn(Callback which, Object value) {
        String what = value == null ? "null" : "a CallResult with a null state";
        return ExitReason.error("bad return value from " + which.method + ": " + what);
    }

    private void crash(ExitReason reason, Throwable cause, ReplySink during) {
        if (exitReason != null) {
            return; // already killed; a callback interrupted by the kill is not a crash
        }
        CrashReport.log(this, current, state, reason, cause);
        runTerminate(reason);
        exit(reason);
        // The caller learns of the crash only once the process is gone (as a monitor would):
        // by then its name is free and isRunning is false.
        if (during != null) {
            during.fail(new ServerCrashedException(ref, reason, cause));
        }
    }

    private void terminateAndExit(ExitReason reason) {
        runTerminate(reason);
        exit(reason);
    }

    private void runTerminate(ExitReason reason) {
        try {
            behavior.terminate(reason, state);
        } catch (Throwable t) {
            log.warn("terminate of {} threw while exiting with {}; ignored", ref, reason, t);
        }
    }

    /** @return the pending call being handled, if this process is in {@code handleCall} */
    ReplySink currentCaller() {
        return current instanceof Envelope.Call c ? c.from() : null;
    }

    /** {@code GenServer.stop} called by the process on itself: stop once the callback returns. */
    void stopAfterCallback(ExitReason reason) {
        selfStop = reason;
    }

    private void owe(ReplySink sink) {
        synchronized (this) {
            if (owed == null) {
                owed = new ArrayList<>(2);
            } else if (owed.size() >= 16) {
                owed.removeIf(ReplySink::isDone);
            }
            owed.add(sink);
        }
    }

    // ------------------------------------------------------------------ exit

    /**
     * The one place where a process dies. Runs once; later calls return false. Does not run
     * {@code terminate}: callers that owe the process its {@code terminate} run it first.
     */
    boolean exit(ExitReason reason) {
        if (!EXIT_REASON.compareAndSet(this, null, reason)) {
            return false;
        }
        STATUS.setVolatile(this, EXITED);
        node.table().remove(this);
        SignalTable sig;
        List<ReplySink> owedNow;
        List<ExitWaiter> waiting;
        synchronized (this) {
            sig = signals;
            signals = null;
            owedNow = owed;
            owed = null;
            waiting = exitWaiters;
            exitWaiters = null;
        }
        rejectPending();
        if (owedNow != null) {
            for (ReplySink s : owedNow) {
                s.fail(new ServerExitedException(ref, reason));
            }
        }
        if (sig != null) {
            node.signals().processExited(this, sig, reason);
        }
        node.counters().processExited(reason);
        if (waiting != null) {
            for (ExitWaiter w : waiting) {
                w.down(null, ref, reason);
            }
        }
        return true;
    }

    /**
     * Registers a waiter told when this process exits: cheaper than a monitor for a caller that
     * only waits ({@code stop}, closing the node).
     *
     * @return false if the process has exited already
     */
    synchronized boolean addExitWaiter(ExitWaiter w) {
        if (exitReason != null) {
            return false;
        }
        if (exitWaiters == null) {
            exitWaiters = new ArrayList<>(1);
        }
        exitWaiters.add(w);
        return true;
    }

    /** Exits now, from any thread, without {@code terminate}; interrupts a running callback. */
    void kill(ExitReason reason) {
        if (exit(reason)) {
            Thread t = runner;
            if (t != null && t != Thread.currentThread()) {
                t.interrupt();
            }
        }
    }

    /**
     * An exit signal from a linked process (Erlang's rules): ignored if the link is gone; an
     * {@link Exit} message if this process traps exits; ignored if {@code normal}; otherwise this
     * process dies with the same reason.
     */
    void exitSignal(GenServerRef from, ExitReason reason) {
        synchronized (this) {
            if (signals == null || !signals.removeLink(from)) {
                return;
            }
        }
        if (trapExit) {
            enqueue(new Envelope.Info(new Exit(from, reason)));
        } else if (!(reason instanceof ExitReason.Normal)) {
            kill(reason);
        }
    }

    /**
     * An exit signal that does not come through a link (Erlang's {@code exit/2}): an {@link Exit}
     * message if this process traps exits; otherwise ignored if {@code normal}, else the process
     * dies with {@code reason}.
     */
    void exitSignalUnlinked(GenServerRef from, ExitReason reason) {
        if (trapExit) {
            enqueue(new Envelope.Info(new Exit(from, reason)));
        } else if (!(reason instanceof ExitReason.Normal)) {
            kill(reason);
        }
    }

    private void rejectPending() {
        ExitReason reason = exitReason;
        Envelope e;
        while ((e = mailbox.poll()) != null) {
            reject(e, reason);
        }
    }

    private void reject(Envelope e, ExitReason reason) {
        switch (e) {
            case Envelope.Call c -> c.from().fail(new ServerExitedException(ref, reason));
            case Envelope.Cast c -> node.counters().messageDropped();
            case Envelope.Info i -> node.counters().messageDropped();
            case Envelope.MonitorDown d -> node.counters().messageDropped();
            case Envelope.Stop s -> {
                // The stopper waits on a monitor, which the exit has fired.
            }
        }
    }

    // ------------------------------------------------------------------ signal table

    private SignalTable signalsForWrite() {
        if (signals == null) {
            signals = new SignalTable();
        }
        return signals;
    }

    /** @return false if the process has exited (the caller reports {@code noproc}) */
    synchronized boolean addWatcher(MonitorRef monitor, DownListener listener) {
        if (exitReason != null) {
            return false;
        }
        signalsForWrite().addWatcher(monitor, listener);
        return true;
    }

    synchronized boolean removeWatcher(MonitorRef monitor) {
        return signals != null && signals.removeWatcher(monitor);
    }

    /** @return false if the process has exited */
    synchronized boolean addHeld(MonitorRef monitor, GenServerRef target) {
        if (exitReason != null) {
            return false;
        }
        signalsForWrite().addHeld(monitor, target);
        return true;
    }

    /** @return true if the monitor was held (and is not any more) */
    synchronized boolean takeHeld(MonitorRef monitor) {
        return signals != null && signals.removeHeld(monitor) != null;
    }

    /** Caller holds this object's monitor (and, for two local processes, the other's too). */
    boolean addLinkLocked(GenServerRef other) {
        if (exitReason != null) {
            return false;
        }
        signalsForWrite().addLink(other);
        return true;
    }

    /** Caller holds this object's monitor. */
    boolean removeLinkLocked(GenServerRef other) {
        return signals != null && signals.removeLink(other);
    }

    /** @return false if the process has exited */
    synchronized boolean addTimer(long id) {
        if (exitReason != null) {
            return false;
        }
        signalsForWrite().addTimer(id);
        return true;
    }

    synchronized void removeTimer(long id) {
        if (signals != null) {
            signals.removeTimer(id);
        }
    }

    /** @return counts of monitors on it, monitors it holds, and links, for leak checks */
    synchronized Map<String, Integer> signalCounts() {
        SignalTable s = signals;
        return s == null
                ? Map.of("watchers", 0, "held", 0, "links", 0)
                : Map.of("watchers", s.watcherCount(), "held", s.heldCount(), "links", s.linkCount());
    }

    @Override
    public String toString() {
        return "GenServer " + ref + (registeredName == null ? "" : " (" + registeredName + ")");
    }
}
