package io.noex.testkit.chaos;

import io.noex.CallResult;
import io.noex.GenServer;
import io.noex.GenServerBehavior;
import io.noex.testkit.chaos.ChaosMessages.WhoAreYou;
import java.util.List;

/**
 * The process every other node's {@link SignalWatcher} monitors and links to. It traps exits, so
 * the loss of a watcher's node (a {@code noconnection} exit through the link) does not take it
 * down; it answers {@link WhoAreYou} with its own ref, so watchers monitor this very process, not
 * whichever process holds its name later.
 *
 * <p>Threading: a process; one message at a time.
 */
final class TargetServer implements GenServerBehavior<Integer> {

    static final String NAME = "chaos-target";

    @Override
    public Integer init(List<Object> args) {
        return 0;
    }

    @Override
    public CallResult<Integer> handleCall(Object msg, Integer state) {
        return switch (msg) {
            case WhoAreYou w -> CallResult.reply(GenServer.self(), state);
            default -> throw new IllegalArgumentException("the target answers WhoAreYou only, not " + msg);
        };
    }

    @Override
    public Integer handleCast(Object msg, Integer state) {
        return state;
    }

    @Override
    public Integer handleInfo(Object msg, Integer state) {
        return state + 1; // exits of linked watchers: counted, otherwise ignored
    }
}
