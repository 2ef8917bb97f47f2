package io.noex.bench;

import io.noex.CallResult;
import io.noex.GenServer;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.UnknownMessageException;
import java.util.List;

/**
 * The behaviors the benchmarks run. Each does the least work a GenServer can do, so that what a
 * benchmark measures is the runtime: the mailbox, the scheduling of the drain, the reply path.
 *
 * <p>Threading: every callback runs on its own process's thread, as all callbacks do.
 */
final class BenchBehaviors {

    private BenchBehaviors() {
    }

    /** The messages {@link Echo} understands. */
    enum Msg {
        /** A call: reply with the state, the number of casts handled so far. */
        GET,
        /** A cast: count it. */
        TICK
    }

    /** A process's state: one small mutable object, owned by its process and never shared. */
    static final class Tally {
        long casts;
    }

    /** Replies to {@link Msg#GET} with its state (the casts counted so far); counts {@link Msg#TICK}. */
    static final class Echo implements GenServerBehavior<Tally> {

        @Override
        public Tally init(List<Object> args) {
            return new Tally();
        }

        @Override
        public CallResult<Tally> handleCall(Object msg, Tally state) {
            if (msg == Msg.GET) {
                return CallResult.reply(state.casts, state);
            }
            throw new UnknownMessageException(msg);
        }

        @Override
        public Tally handleCast(Object msg, Tally state) {
            if (msg == Msg.TICK) {
                state.casts++;
                return state;
            }
            throw new UnknownMessageException(msg);
        }
    }

    /**
     * Calls a target {@code n} times in a row from inside a process, the path a GenServer takes
     * when it calls another: the caller is a virtual thread, which parks at once instead of
     * spinning. Its state is the target (init argument 0); a call with an {@code Integer n} runs
     * the loop and replies with the last reply.
     */
    static final class CallLoop implements GenServerBehavior<GenServerRef> {

        @Override
        public GenServerRef init(List<Object> args) {
            return (GenServerRef) args.get(0);
        }

        @Override
        public CallResult<GenServerRef> handleCall(Object msg, GenServerRef target) {
            if (msg instanceof Integer n) {
                Object last = null;
                for (int i = 0; i < n; i++) {
                    last = GenServer.call(target, Msg.GET);
                }
                return CallResult.reply(last, target);
            }
            throw new UnknownMessageException(msg);
        }

        @Override
        public GenServerRef handleCast(Object msg, GenServerRef target) {
            throw new UnknownMessageException(msg);
        }
    }
}
