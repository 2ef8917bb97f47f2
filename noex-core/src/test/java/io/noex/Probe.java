package io.noex;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test GenServer that runs, inside the process, whatever the test sends it, and reports what it
 * sees (info messages, its termination) to a queue the test waits on with a deadline.
 */
final class Probe implements GenServerBehavior<Probe.State> {

    /** Code to run inside the process; for a call, its result is the reply. */
    @FunctionalInterface
    interface Action {
        Object run(State state) throws Exception;
    }

    /** Reported when the probe's terminate runs. */
    record Terminated(GenServerRef ref, ExitReason reason) {
    }

    /** Reported when init runs. */
    record Started(GenServerRef ref, List<Object> args) {
    }

    static final class State {
        int count;
        Object value;
    }

    final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

    @Override
    public State init(List<Object> args) throws Exception {
        events.add(new Started(GenServer.self(), args));
        State s = new State();
        for (Object a : args) {
            if (a instanceof Action action) {
                action.run(s);
            }
        }
        return s;
    }

    @Override
    public CallResult<State> handleCall(Object msg, State s) throws Exception {
        if (msg instanceof Action a) {
            return CallResult.reply(a.run(s), s);
        }
        if ("count".equals(msg)) {
            return CallResult.reply(s.count, s);
        }
        throw new UnknownMessageException(msg);
    }

    @Override
    public State handleCast(Object msg, State s) throws Exception {
        if (msg instanceof Action a) {
            a.run(s);
            return s;
        }
        if ("inc".equals(msg)) {
            s.count++;
            return s;
        }
        throw new UnknownMessageException(msg);
    }

    @Override
    public State handleInfo(Object msg, State s) throws Exception {
        if (msg instanceof Action a) {
            a.run(s);
            return s;
        }
        events.add(msg);
        return s;
    }

    @Override
    public void terminate(ExitReason reason, State s) {
        events.add(new Terminated(GenServer.self(), reason));
    }

    /** Waits up to 5 s for the next event. */
    Object next() throws InterruptedException {
        Object e = events.poll(5, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no event within 5 s");
        }
        return e;
    }

    /** Waits up to 5 s for the next event of a type, skipping others. */
    <T> T next(Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            Object e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " event within 5 s");
    }

    /** Asserts that no event of a type arrives within {@code millis}. */
    void assertNo(Class<?> type, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            Object e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (type.isInstance(e)) {
                throw new AssertionError("unexpected " + e);
            }
        }
    }
}
