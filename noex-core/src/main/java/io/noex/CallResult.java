package io.noex;

import java.util.Objects;

/**
 * What {@link GenServerBehavior#handleCall} returns: the reply (now or later) and the new state.
 *
 * <ul>
 *   <li>{@link #reply(Object, Object)}: answer the caller now, continue with the new state;</li>
 *   <li>{@link #noReply(Object)}: answer later with {@link GenServer#reply(Caller, Object)}, using
 *       the {@link Caller} obtained from {@link GenServer#caller()} during this callback;</li>
 *   <li>{@link #stop(ExitReason, Object, Object)}: answer the caller, then stop the process with
 *       the given reason ({@code terminate} runs with the new state).</li>
 * </ul>
 *
 * @param <S> the state type
 */
public sealed interface CallResult<S> {

    /** @return the state the process continues (or terminates) with */
    S newState();

    /**
     * @param reply the value the caller receives (may be null)
     * @param newState the new state, not null
     * @param <S> the state type
     * @return a result that answers now
     */
    static <S> CallResult<S> reply(Object reply, S newState) {
        return new Reply<>(reply, newState);
    }

    /**
     * @param newState the new state, not null
     * @param <S> the state type
     * @return a result that defers the answer
     */
    static <S> CallResult<S> noReply(S newState) {
        return new NoReply<>(newState);
    }

    /**
     * @param reason why the process stops
     * @param reply the value the caller receives before the process stops
     * @param newState the state {@code terminate} receives
     * @param <S> the state type
     * @return a result that answers and then stops the process
     */
    static <S> CallResult<S> stop(ExitReason reason, Object reply, S newState) {
        return new Stop<>(reason, reply, newState);
    }

    /**
     * Answer now.
     *
     * @param reply the value the caller receives
     * @param newState the new state
     * @param <S> the state type
     */
    record Reply<S>(Object reply, S newState) implements CallResult<S> {
    }

    /**
     * Answer later, with {@link GenServer#reply(Caller, Object)}.
     *
     * @param newState the new state
     * @param <S> the state type
     */
    record NoReply<S>(S newState) implements CallResult<S> {
    }

    /**
     * Answer, then stop.
     *
     * @param reason the exit reason
     * @param reply the value the caller receives
     * @param newState the state {@code terminate} receives
     * @param <S> the state type
     */
    record Stop<S>(ExitReason reason, Object reply, S newState) implements CallResult<S> {
        /** @throws NullPointerException if {@code reason} is null */
        public Stop {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
