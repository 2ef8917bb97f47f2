package io.noex;

import java.util.List;

/**
 * The callbacks of a GenServer: a process that holds a state and handles one message at a time.
 * The behavior object holds no state of its own (the state is what {@link #init} returns and each
 * callback replaces), so one instance can serve any number of processes and restarts.
 *
 * <table class="striped">
 *   <caption>Which API call runs which callback</caption>
 *   <thead><tr><th>API call</th><th>callback</th><th>result</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code GenServer.start(behavior, options)}</td><td>{@link #init(List)}</td>
 *         <td>the initial state; {@code start} returns once it is back</td></tr>
 *     <tr><td>{@code GenServer.call(ref, msg)}, {@code callAsync}</td><td>{@link #handleCall}</td>
 *         <td>a {@link CallResult}: reply now, reply later, or reply and stop</td></tr>
 *     <tr><td>{@code GenServer.cast(ref, msg)}</td><td>{@link #handleCast}</td><td>the new state</td></tr>
 *     <tr><td>{@code GenServer.send(ref, msg)}, {@code sendAfter}, a {@link Down} from a monitor,
 *         an {@link Exit} from a link when trapping exits</td><td>{@link #handleInfo}</td>
 *         <td>the new state (default: ignore the message)</td></tr>
 *     <tr><td>{@code GenServer.stop(ref, reason)}, a crash in any callback above, a supervisor
 *         shutting the process down</td><td>{@link #terminate}</td><td>none (default: nothing)</td></tr>
 *   </tbody>
 * </table>
 *
 * <p><b>Threading.</b> Every callback of one process runs on that process's own virtual thread,
 * one at a time, in the order the messages arrived; the state is never seen by two threads at
 * once, so it needs no locks. A callback may block, for example in a nested {@code GenServer.call}
 * (also to another node), without stalling other processes or the node's network I/O.
 *
 * <p><b>The failure rule</b> (Erlang's, stated once): if {@code handleCall}, {@code handleCast} or
 * {@code handleInfo} throws, or returns {@code null} (a "bad return value"), the process
 * <em>crashes</em>: {@code terminate} runs with an {@link ExitReason.Error} reason, a crash report
 * is logged, the caller of the call being handled gets a {@link ServerCrashedException} at once,
 * every other pending caller a {@link ServerExitedException}, and monitors, links and supervisors
 * see the exit. The one exception is {@link UnknownMessageException}: a callback that throws it
 * rejects the message (the caller of a call gets the exception) and the process keeps running.
 * If {@code init} throws or returns {@code null}, {@code start} fails with
 * {@link InitFailedException} and the process never runs.
 *
 * <p>Messages are ordinary Java objects. Records and sealed interfaces with a pattern-matching
 * {@code switch} are the intended style:
 * {@snippet :
 * sealed interface CounterMsg {
 *     record Add(int n) implements CounterMsg {}
 *     record Get() implements CounterMsg {}
 * }
 *
 * final class Counter implements GenServerBehavior<Integer> {
 *     public Integer init(List<Object> args) { return 0; }
 *
 *     public CallResult<Integer> handleCall(Object msg, Integer count) {
 *         return switch (msg) {
 *             case CounterMsg.Get get -> CallResult.reply(count, count);
 *             default -> throw new UnknownMessageException(msg);
 *         };
 *     }
 *
 *     public Integer handleCast(Object msg, Integer count) {
 *         return switch (msg) {
 *             case CounterMsg.Add add -> count + add.n();
 *             default -> throw new UnknownMessageException(msg);
 *         };
 *     }
 * }
 * }
 *
 * @param <S> the state type; a state must not be {@code null}
 */
public interface GenServerBehavior<S> {

    /**
     * Builds the initial state. Runs on the new process's thread while {@code GenServer.start}
     * waits (up to the init timeout, default 5 s); messages sent to the process meanwhile wait
     * in its mailbox.
     *
     * @param args the init arguments from {@link StartOptions.Builder#args(List)} (empty if none)
     * @return the initial state, not null
     * @throws Exception to fail the start: {@code GenServer.start} throws {@link InitFailedException}
     */
    S init(List<Object> args) throws Exception;

    /**
     * Handles a synchronous request. The caller waits for the reply up to its timeout.
     *
     * @param msg the request, never null
     * @param state the current state
     * @return the reply (or the decision to reply later) and the new state; not null
     * @throws Exception to crash the process (see the failure rule above)
     */
    CallResult<S> handleCall(Object msg, S state) throws Exception;

    /**
     * Handles an asynchronous request; the sender does not wait.
     *
     * @param msg the request, never null
     * @param state the current state
     * @return the new state, not null
     * @throws Exception to crash the process
     */
    S handleCast(Object msg, S state) throws Exception;

    /**
     * Handles any other message: {@code GenServer.send}, timers, {@link Down} and {@link Exit}.
     * By default ignores the message and keeps the state.
     *
     * @param msg the message, never null
     * @param state the current state
     * @return the new state, not null
     * @throws Exception to crash the process
     */
    default S handleInfo(Object msg, S state) throws Exception {
        return state;
    }

    /**
     * Cleans up before the process exits: after {@code GenServer.stop}, after a crash in a
     * callback, or when a supervisor shuts the process down. Not called when the process is
     * killed, or dies of a linked process's exit while not trapping exits (Erlang's rule). An
     * exception thrown here is logged and otherwise ignored. Default: nothing.
     *
     * @param reason why the process exits
     * @param state the last state
     */
    default void terminate(ExitReason reason, S state) {
    }

    /**
     * Formats the state for crash reports. Override to redact secrets or shorten large states.
     * Default: {@code String.valueOf(state)}.
     *
     * @param state the state at the time of the crash
     * @return what the crash report prints
     */
    default String formatState(S state) {
        return String.valueOf(state);
    }
}
