package io.noex.bench.cluster;

import io.noex.CallResult;
import io.noex.GenServerBehavior;
import io.noex.Node;
import io.noex.UnknownMessageException;
import io.noex.distribution.Serialization;
import java.util.List;

/**
 * The messages the cluster benchmark sends, and the process that receives them on the server JVM.
 *
 * <p>Threading: {@link Sink}'s callbacks run on its process's thread, as all callbacks do.
 */
final class BenchMessages {

    /** The registered name of the receiving process on the server node. */
    static final String SINK = "sink";

    private BenchMessages() {
    }

    /**
     * A call or cast carrying {@code data}: 16 bytes or 1 KiB in the benchmark. A call is answered
     * with the same record, so a round trip carries the payload both ways (as the socket baseline
     * does).
     *
     * @param data the payload, sent as MessagePack {@code bin}
     */
    public record Payload(byte[] data) {
    }

    /**
     * A call: the receiver answers {@code [casts handled so far, its System.nanoTime()]}, so a cast
     * rate is measured on the receiver's own clock.
     */
    public record Count() {
    }

    /** Registers the message records on a node; both JVMs do it before their cluster starts. */
    static void register(Node node) {
        Serialization.register(node, "bench.Payload", Payload.class);
        Serialization.register(node, "bench.Count", Count.class);
    }

    /** A process's state: the casts it has handled. Owned by its process, never shared. */
    static final class Tally {
        long casts;
    }

    /** Echoes a {@link Payload} call, counts {@link Payload} casts, reports the count on {@link Count}. */
    static final class Sink implements GenServerBehavior<Tally> {

        @Override
        public Tally init(List<Object> args) {
            return new Tally();
        }

        @Override
        public CallResult<Tally> handleCall(Object msg, Tally state) {
            return switch (msg) {
                case Payload p -> CallResult.reply(p, state);
                case Count c -> CallResult.reply(List.of(state.casts, System.nanoTime()), state);
                default -> throw new UnknownMessageException(msg);
            };
        }

        @Override
        public Tally handleCast(Object msg, Tally state) {
            if (msg instanceof Payload) {
                state.casts++;
                return state;
            }
            throw new UnknownMessageException(msg);
        }
    }
}
