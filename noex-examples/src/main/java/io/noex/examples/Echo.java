package io.noex.examples;

import io.noex.CallResult;
import io.noex.GenServerBehavior;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.UnknownMessageException;
import java.util.List;

/**
 * A GenServer that answers each {@link Ping} call with a {@link Pong} carrying the same text and
 * the NodeId of the node that answered: a call on a remote ref shows where it was handled. Its
 * state is the number of pings it has answered.
 * {@snippet :
 * Echo.Pong pong = node.call(new GenServerRef("echo", otherNode), new Echo.Ping("hello"));
 * // pong.node() is otherNode
 * }
 *
 * <p>Stateless, so one instance serves every echo process.
 */
public final class Echo implements GenServerBehavior<Long> {

    /** Call: replies with a {@link Pong}. */
    public record Ping(String text) {
    }

    /**
     * The reply to a {@link Ping}.
     *
     * @param text the ping's text
     * @param node the node whose echo process answered
     * @param count how many pings that process has answered, this one included
     */
    public record Pong(String text, NodeId node, long count) {
    }

    Echo() {
    }

    @Override
    public Long init(List<Object> args) {
        return 0L;
    }

    @Override
    public CallResult<Long> handleCall(Object msg, Long answered) {
        return switch (msg) {
            case Ping ping -> {
                long count = answered + 1;
                yield CallResult.reply(new Pong(ping.text(), Node.current().nodeId(), count), count);
            }
            default -> throw new UnknownMessageException(msg);
        };
    }

    @Override
    public Long handleCast(Object msg, Long answered) {
        throw new UnknownMessageException(msg); // there is no one to answer a cast
    }
}
