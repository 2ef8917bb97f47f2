package io.noex.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One outcome, set once by any thread and awaited by the one thread that created it. The base of
 * a blocking call's reply slot and of {@code start}'s wait for {@code init}.
 *
 * <p>Why not a {@code CompletableFuture}: a call is the hottest path in the runtime. A platform
 * thread that parks costs two futex round trips (tens of microseconds); spinning briefly first
 * catches the common case of a reply that arrives within microseconds (measured in
 * {@code LocalCallBenchmark}). Virtual threads park at once: for them parking is cheap and
 * spinning would hold a carrier thread that other processes need.
 *
 * <p>Threading: {@link #complete} from any thread; {@link #awaitOutcome} only from the creating thread.
 * Shared with the distribution layer, whose remote calls wait the same way.
 */
public abstract class OneShot {

    /** Outcome of a wait whose deadline passed first. */
    public static final Object TIMED_OUT = new Object();
    /** Outcome of a wait whose thread was interrupted first. */
    public static final Object INTERRUPTED = new Object();

    /** How long a platform thread spins before it parks. */
    private static final long SPIN_NANOS = 50_000;

    private static final VarHandle OUTCOME;

    static {
        try {
            OUTCOME = MethodHandles.lookup().findVarHandle(OneShot.class, "outcome", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Object outcome;
    private final Thread waiter;

    /** Binds the slot to the current thread, the one that will wait on it. */
    protected OneShot() {
        this.waiter = Thread.currentThread();
    }

    /**
     * Sets the outcome if none is set yet, and wakes the waiter.
     *
     * @param value the outcome, not null
     * @return true if this call set it
     */
    protected final boolean complete(Object value) {
        if (OUTCOME.compareAndSet(this, null, value)) {
            LockSupport.unpark(waiter);
            return true;
        }
        return false;
    }

    /**
     * Whether the waiter spins before it parks: platform threads do, virtual threads do not (a
     * spinning virtual thread would hold the carrier the completing thread may need). Subclasses
     * whose completion comes from the network override this: that takes longer than any spin.
     *
     * @return true if the waiting thread spins briefly first
     */
    public boolean waiterSpins() {
        return !waiter.isVirtual();
    }

    /** @return true once an outcome is set (including a timeout or interruption) */
    protected final boolean isSet() {
        return outcome != null;
    }

    /**
     * Waits for the outcome.
     *
     * @param timeoutNanos the longest wait
     * @return the outcome, or {@link #TIMED_OUT} / {@link #INTERRUPTED} if this wait ended first
     *     (it then owns the slot: a later {@link #complete} does nothing)
     */
    protected final Object awaitOutcome(long timeoutNanos) {
        Object o = outcome;
        if (o != null) {
            return o;
        }
        long start = System.nanoTime();
        if (waiterSpins()) {
            int spins = 0;
            while ((o = outcome) == null) {
                Thread.onSpinWait();
                if ((++spins & 63) == 0 && System.nanoTime() - start > SPIN_NANOS) {
                    break;
                }
            }
            if (o != null) {
                return o;
            }
        }
        long deadline = start + timeoutNanos;
        while ((o = outcome) == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return giveUp(TIMED_OUT);
            }
            LockSupport.parkNanos(this, left);
            if (Thread.currentThread().isInterrupted() && outcome == null) {
                return giveUp(INTERRUPTED);
            }
        }
        return o;
    }

    private Object giveUp(Object why) {
        if (OUTCOME.compareAndSet(this, null, why)) {
            return why;
        }
        return outcome;
    }
}
