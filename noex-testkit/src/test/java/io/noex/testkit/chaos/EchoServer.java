package io.noex.testkit.chaos;

import io.noex.CallResult;
import io.noex.GenServerBehavior;
import io.noex.testkit.chaos.ChaosMessages.Ping;
import io.noex.testkit.chaos.ChaosMessages.Pong;
import java.util.List;

/**
 * Answers each {@link Ping} with a {@link Pong} carrying the same id and this node's name.
 * Anything else is a violation (a message reached the wrong process), answered with itself so the
 * caller sees a wrong reply too.
 *
 * <p>Threading: a process; one message at a time.
 */
final class EchoServer implements GenServerBehavior<String> {

    private final String node;
    private final ChaosLedger ledger;

    EchoServer(String node, ChaosLedger ledger) {
        this.node = node;
        this.ledger = ledger;
    }

    @Override
    public String init(List<Object> args) {
        return node;
    }

    @Override
    public CallResult<String> handleCall(Object msg, String state) {
        if (msg instanceof Ping p) {
            return CallResult.reply(new Pong(p.id(), node), state);
        }
        ledger.violation("misdelivered", "the echo was called with " + msg);
        return CallResult.reply(msg, state);
    }

    @Override
    public String handleCast(Object msg, String state) {
        ledger.violation("misdelivered", "the echo received a cast: " + msg);
        return state;
    }
}
