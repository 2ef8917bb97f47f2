package io.noex.examples;

import io.noex.CallResult;
import io.noex.GenServerBehavior;
import io.noex.UnknownMessageException;
import java.util.List;

/**
 * A GenServer holding an integer: {@link Increment} (a cast) adds to it, {@link Get} (a call)
 * reads it. It starts at 0, or at its first init argument when that is an {@code Integer}.
 * {@snippet :
 * GenServerRef counter = node.start(ExampleBehaviors.counter());
 * node.cast(counter, new Counter.Increment(5));
 * int value = node.call(counter, new Counter.Get());   // 5: the cast arrived first
 * }
 *
 * <p>Stateless, so one instance serves every counter process. Threading: callbacks run on the
 * process's own thread, as for every behavior.
 */
public final class Counter implements GenServerBehavior<Integer> {

    /** Cast: adds {@code by} (which may be negative) to the count. */
    public record Increment(int by) {
    }

    /** Call: replies with the count, an {@code Integer}. */
    public record Get() {
    }

    Counter() {
    }

    @Override
    public Integer init(List<Object> args) {
        return !args.isEmpty() && args.get(0) instanceof Integer start ? start : 0;
    }

    @Override
    public CallResult<Integer> handleCall(Object msg, Integer count) {
        return switch (msg) {
            case Get get -> CallResult.reply(count, count);
            default -> throw new UnknownMessageException(msg);
        };
    }

    @Override
    public Integer handleCast(Object msg, Integer count) {
        return switch (msg) {
            case Increment inc -> count + inc.by();
            default -> throw new UnknownMessageException(msg);
        };
    }
}
