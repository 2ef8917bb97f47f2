package io.noex.testkit;

import io.noex.CallResult;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.Node;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs a piece of test code inside a short-lived process on a given node, so that the static
 * facades (which act for {@link Node#current()}) act for that node, as they would in a user's
 * process. What the code throws is thrown again at the caller, unchanged.
 */
final class InProcess {

    private InProcess() {
    }

    /** A failure, handed back as a value so the caller sees the code's own exception. */
    private record Thrown(RuntimeException e) {
    }

    private static final class Agent implements GenServerBehavior<Integer> {
        @Override
        public Integer init(List<Object> args) {
            return 0;
        }

        @Override
        public CallResult<Integer> handleCall(Object msg, Integer state) {
            try {
                return CallResult.reply(((Supplier<?>) msg).get(), state);
            } catch (RuntimeException e) {
                return CallResult.reply(new Thrown(e), state);
            }
        }

        @Override
        public Integer handleCast(Object msg, Integer state) {
            return state;
        }
    }

    /**
     * @param node where to run
     * @param action the code; it may block up to 2 minutes
     * @param <T> its result type
     * @return its result
     */
    @SuppressWarnings("unchecked")
    static <T> T on(Node node, Supplier<T> action) {
        GenServerRef agent = node.start(new Agent());
        try {
            Object r = node.call(agent, action, Duration.ofMinutes(2));
            if (r instanceof Thrown t) {
                throw t.e();
            }
            return (T) r;
        } finally {
            node.stop(agent);
        }
    }
}
