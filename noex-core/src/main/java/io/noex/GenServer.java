package io.noex;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The GenServer API of the current node: inside a GenServer callback, the node that runs it;
 * anywhere else, {@link Node#defaultNode()}. Each method delegates to the same method of
 * {@link Node#current()}, where it is documented in full.
 * {@snippet :
 * GenServerRef counter = GenServer.start(new Counter());
 * GenServer.cast(counter, new CounterMsg.Add(5));
 * int value = GenServer.call(counter, new CounterMsg.Get());   // 5
 * GenServer.stop(counter);
 * }
 */
public final class GenServer {

    private GenServer() {
    }

    /**
     * @param behavior the callbacks
     * @return the new process's ref
     * @see Node#start(GenServerBehavior)
     */
    public static GenServerRef start(GenServerBehavior<?> behavior) {
        return Node.current().start(behavior);
    }

    /**
     * @param behavior the callbacks
     * @param options name, init timeout, exit trapping, init arguments
     * @return the new process's ref
     * @see Node#start(GenServerBehavior, StartOptions)
     */
    public static GenServerRef start(GenServerBehavior<?> behavior, StartOptions options) {
        return Node.current().start(behavior, options);
    }

    /**
     * @param behavior the callbacks
     * @param options the start options
     * @return the new process's ref, linked to the calling process
     * @see Node#startLink(GenServerBehavior, StartOptions)
     */
    public static GenServerRef startLink(GenServerBehavior<?> behavior, StartOptions options) {
        return Node.current().startLink(behavior, options);
    }

    /**
     * @param ref the process
     * @param msg the request
     * @param <T> the reply type
     * @return the reply (default timeout 5 s)
     * @see Node#call(GenServerRef, Object, Duration)
     */
    public static <T> T call(GenServerRef ref, Object msg) {
        return Node.current().call(ref, msg);
    }

    /**
     * @param ref the process
     * @param msg the request
     * @param timeout how long to wait
     * @param <T> the reply type
     * @return the reply
     * @see Node#call(GenServerRef, Object, Duration)
     */
    public static <T> T call(GenServerRef ref, Object msg, Duration timeout) {
        return Node.current().call(ref, msg, timeout);
    }

    /**
     * @param ref the process
     * @param msg the request
     * @param <T> the reply type
     * @return a future of the reply (default timeout 5 s)
     * @see Node#callAsync(GenServerRef, Object, Duration)
     */
    public static <T> CompletableFuture<T> callAsync(GenServerRef ref, Object msg) {
        return Node.current().callAsync(ref, msg);
    }

    /**
     * @param ref the process
     * @param msg the request
     * @param timeout when the future fails with a timeout
     * @param <T> the reply type
     * @return a future of the reply
     * @see Node#callAsync(GenServerRef, Object, Duration)
     */
    public static <T> CompletableFuture<T> callAsync(GenServerRef ref, Object msg, Duration timeout) {
        return Node.current().callAsync(ref, msg, timeout);
    }

    /**
     * @param ref the process
     * @param msg the request for {@code handleCast}
     * @see Node#cast(GenServerRef, Object)
     */
    public static void cast(GenServerRef ref, Object msg) {
        Node.current().cast(ref, msg);
    }

    /**
     * @param ref the process
     * @param msg the message for {@code handleInfo}
     * @see Node#send(GenServerRef, Object)
     */
    public static void send(GenServerRef ref, Object msg) {
        Node.current().send(ref, msg);
    }

    /**
     * @param ref the process
     * @see Node#stop(GenServerRef)
     */
    public static void stop(GenServerRef ref) {
        Node.current().stop(ref);
    }

    /**
     * @param ref the process
     * @param reason the exit reason
     * @see Node#stop(GenServerRef, ExitReason)
     */
    public static void stop(GenServerRef ref, ExitReason reason) {
        Node.current().stop(ref, reason);
    }

    /**
     * @param ref the process
     * @see Node#kill(GenServerRef)
     */
    public static void kill(GenServerRef ref) {
        Node.current().kill(ref);
    }

    /**
     * @param ref a process
     * @return whether it is running
     * @see Node#isRunning(GenServerRef)
     */
    public static boolean isRunning(GenServerRef ref) {
        return Node.current().isRunning(ref);
    }

    /**
     * @param watcher the process that receives the {@link Down}
     * @param target the monitored process
     * @return the monitor
     * @see Node#monitor(GenServerRef, GenServerRef)
     */
    public static MonitorRef monitor(GenServerRef watcher, GenServerRef target) {
        return Node.current().monitor(watcher, target);
    }

    /**
     * Monitors {@code target} from the calling process.
     *
     * @param target the monitored process
     * @return the monitor
     * @throws NotInProcessException if not called from inside a GenServer callback
     */
    public static MonitorRef monitor(GenServerRef target) {
        return Node.current().monitor(self(), target);
    }

    /**
     * @param monitor the monitor
     * @return true if it was still active
     * @see Node#demonitor(MonitorRef)
     */
    public static boolean demonitor(MonitorRef monitor) {
        return Node.current().demonitor(monitor);
    }

    /**
     * @param a a process
     * @param b another process
     * @see Node#link(GenServerRef, GenServerRef)
     */
    public static void link(GenServerRef a, GenServerRef b) {
        Node.current().link(a, b);
    }

    /**
     * Links the calling process to {@code other}.
     *
     * @param other another process
     * @throws NotInProcessException if not called from inside a GenServer callback
     */
    public static void link(GenServerRef other) {
        Node.current().link(self(), other);
    }

    /**
     * @param a a process
     * @param b another process
     * @see Node#unlink(GenServerRef, GenServerRef)
     */
    public static void unlink(GenServerRef a, GenServerRef b) {
        Node.current().unlink(a, b);
    }

    /**
     * @param ref the target
     * @param msg the message for {@code handleInfo}
     * @param delay when
     * @return the timer
     * @see Node#sendAfter(GenServerRef, Object, Duration)
     */
    public static TimerRef sendAfter(GenServerRef ref, Object msg, Duration delay) {
        return Node.current().sendAfter(ref, msg, delay);
    }

    /**
     * @param timer the timer
     * @return true if it had not fired
     * @see Node#cancelTimer(TimerRef)
     */
    public static boolean cancelTimer(TimerRef timer) {
        return Node.current().cancelTimer(timer);
    }

    /**
     * @return the ref of the process whose callback is running on this thread (Erlang's {@code self()})
     * @throws NotInProcessException if called outside a GenServer callback
     */
    public static GenServerRef self() {
        ServerProcess p = ProcessContext.current();
        if (p == null) {
            throw new NotInProcessException("GenServer.self()");
        }
        return p.ref;
    }

    /**
     * @return the caller of the call being handled, for a deferred reply
     * @throws NotInProcessException if called outside {@code handleCall}
     */
    public static Caller caller() {
        ServerProcess p = ProcessContext.current();
        var sink = p == null ? null : p.currentCaller();
        if (sink == null) {
            throw new NotInProcessException("GenServer.caller()");
        }
        return new Caller(sink);
    }

    /**
     * @param caller from {@link #caller()}
     * @param reply the answer
     * @see Node#reply(Caller, Object)
     */
    public static void reply(Caller caller, Object reply) {
        Node.current().reply(caller, reply);
    }
}
