package io.noex.testkit.chaos;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.distribution.Serialization;
import java.util.List;

/**
 * The messages of the chaos suite's processes. Those that cross the network are registered on
 * every node ({@link #register}); the others only ever travel between processes of one JVM.
 *
 * <p>Threading: immutable records.
 */
public final class ChaosMessages {

    private ChaosMessages() {
    }

    /**
     * A call to a node's {@link EchoServer}; it answers {@link Pong} with the same id.
     *
     * @param id unique among the calls of one caller JVM
     * @param caller the calling node's name (for failure messages)
     */
    public record Ping(long id, String caller) {
    }

    /**
     * The echo's answer.
     *
     * @param id the id of the {@link Ping} it answers
     * @param node the name of the node that answered
     */
    public record Pong(long id, String node) {
    }

    /**
     * A cast to a node's {@link CastSink}, tagged so the receiver can check order and loss (see
     * {@link CastOrderCheck} for the rule).
     *
     * @param sender the sending node's name
     * @param run the sending JVM's run (its incarnation), so a restarted sender starts afresh
     * @param epoch the sender's epoch for this receiver (see {@link CastSequencer})
     * @param seq the cast's number within its epoch, from 0
     * @param straddles the latest casts the sender could not place on one connection, as
     *     {@code epoch, seq} pairs (see {@link CastSequencer})
     */
    public record Tagged(String sender, long run, long epoch, long seq, List<Long> straddles) {
    }

    /** A call to a node's {@link TargetServer}: it answers with its own process ref. */
    public record WhoAreYou(String caller) {
    }

    /** The watcher's periodic tick (local). */
    record Tick() {
    }

    /**
     * The watcher is told whom to watch (local).
     *
     * @param peers the other nodes' targets, by registered name
     */
    record Watch(List<GenServerRef> peers) {
    }

    /**
     * A target resolved for the watcher (local).
     *
     * @param peerName the node whose target it is
     * @param target the target's process ref, if the call succeeded
     */
    record Resolved(String peerName, java.util.Optional<GenServerRef> target) {
    }

    /** Asks the watcher what it holds (local call); answered with a {@code Map<String, String>}. */
    record Holdings() {
    }

    /**
     * Registers the types that cross the network, on one node (before its cluster starts).
     *
     * @param node the node
     */
    public static void register(Node node) {
        Serialization.register(node, "chaos.Ping", Ping.class);
        Serialization.register(node, "chaos.Pong", Pong.class);
        Serialization.register(node, "chaos.Tagged", Tagged.class);
        Serialization.register(node, "chaos.WhoAreYou", WhoAreYou.class);
    }
}
