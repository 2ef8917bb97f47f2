package io.noex.testkit;

import io.noex.CallResult;
import io.noex.GenServer;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.UnknownMessageException;
import io.noex.distribution.Serialization;
import java.util.List;

/**
 * The server of the multi-JVM remote-call tests, with the messages it understands. It echoes,
 * counts casts and checks that they arrive in order, crashes, sleeps, or replies with something
 * that cannot be serialized, on request. The test JVM and its child JVMs register the same types
 * ({@link #registerTypes}), except {@link Unregistered}, which only the test JVM knows.
 */
public final class CallServer implements GenServerBehavior<CallServer.State> {

    /** Replies with {@code value}. */
    public record Echo(Object value) {
    }

    /** A cast carrying the sender's sequence number. */
    public record Add(int n) {
    }

    /** Replies with {@code [casts handled, first out-of-order sequence number or -1]}. */
    public record Stats() {
    }

    /** Makes the handler throw an {@link IllegalStateException} with this message. */
    public record Crash(String why) {
    }

    /** Sleeps this long before replying. */
    public record Sleep(long millis) {
    }

    /** Replies with a {@link StringBuilder}, which no node can serialize. */
    public record ReplyUnserializable() {
    }

    /** Calls {@code to} with {@code msg} through {@link GenServer#call} and replies with its reply. */
    public record Forward(GenServerRef to, Object msg) {
    }

    /** A message type only the test JVM registers: the receiving child cannot decode it. */
    public record Unregistered(int x) {
    }

    /** What the server counts. */
    public static final class State {
        long casts;
        int next;
        int firstOutOfOrder = -1;
    }

    /** For the child's setup, which the child creates by reflection. */
    public CallServer() {
    }

    /**
     * Registers every message type but {@link Unregistered}.
     *
     * @param node the node
     */
    public static void registerTypes(Node node) {
        Serialization.register(node, "test.call.Echo", Echo.class);
        Serialization.register(node, "test.call.Add", Add.class);
        Serialization.register(node, "test.call.Stats", Stats.class);
        Serialization.register(node, "test.call.Crash", Crash.class);
        Serialization.register(node, "test.call.Sleep", Sleep.class);
        Serialization.register(node, "test.call.ReplyUnserializable", ReplyUnserializable.class);
        Serialization.register(node, "test.call.Forward", Forward.class);
    }

    @Override
    public State init(List<Object> args) {
        return new State();
    }

    @Override
    public CallResult<State> handleCall(Object msg, State s) throws Exception {
        return switch (msg) {
            case Echo e -> CallResult.reply(e.value(), s);
            case Stats x -> CallResult.reply(List.of(s.casts, s.firstOutOfOrder), s);
            case Crash c -> throw new IllegalStateException(c.why());
            case Sleep z -> {
                Thread.sleep(z.millis());
                yield CallResult.reply("slept", s);
            }
            case Forward f -> CallResult.reply(GenServer.call(f.to(), f.msg()), s);
            case ReplyUnserializable r -> CallResult.reply(new StringBuilder("not a wire type"), s);
            default -> throw new UnknownMessageException(msg);
        };
    }

    @Override
    public State handleCast(Object msg, State s) {
        if (msg instanceof Add a) {
            if (a.n() != s.next && s.firstOutOfOrder < 0) {
                s.firstOutOfOrder = a.n();
            }
            s.next = a.n() + 1;
            s.casts++;
        }
        return s;
    }
}
