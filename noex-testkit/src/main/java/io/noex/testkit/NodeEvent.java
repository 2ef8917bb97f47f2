package io.noex.testkit;

import io.noex.NodeId;
import io.noex.distribution.NodeDownReason;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * A membership event a {@link JvmNode} reported: another node came up or went down, as that JVM
 * saw it.
 *
 * @param kind up or down
 * @param node the node that came up or went down
 * @param reason why it went down (down events only)
 * @param incarnation its incarnation (up events only)
 * @param receivedNanos when the test JVM read the line ({@link System#nanoTime()}), for measuring
 *     how long detection took; it includes a pipe's latency (well under a millisecond)
 */
public record NodeEvent(Kind kind, NodeId node, Optional<NodeDownReason> reason, OptionalLong incarnation,
                        long receivedNanos) {

    /** Up or down. */
    public enum Kind {
        /** The node came up (or back). */
        UP,
        /** The node went down. */
        DOWN
    }

    /**
     * @param node a node
     * @return matches the events saying it came up
     */
    public static Predicate<NodeEvent> up(NodeId node) {
        return e -> e.kind == Kind.UP && e.node.equals(node);
    }

    /**
     * @param node a node
     * @return matches the events saying it went down, for any reason
     */
    public static Predicate<NodeEvent> down(NodeId node) {
        return e -> e.kind == Kind.DOWN && e.node.equals(node);
    }

    /**
     * @param node a node
     * @param reason a reason
     * @return matches the events saying it went down for that reason
     */
    public static Predicate<NodeEvent> down(NodeId node, NodeDownReason reason) {
        return down(node).and(e -> e.reason.equals(Optional.of(reason)));
    }

    /**
     * @param nanos a {@link System#nanoTime()} reading
     * @return matches the events read after it
     */
    public static Predicate<NodeEvent> after(long nanos) {
        return e -> e.receivedNanos - nanos > 0;
    }

    /**
     * Parses the part of a {@code NOEX-EVENT} line after the prefix.
     *
     * @return the event, or empty if the line is malformed
     */
    static Optional<NodeEvent> parse(String rest, long receivedNanos) {
        String[] f = rest.trim().split(" ");
        if (f.length != 3) {
            return Optional.empty();
        }
        Optional<NodeId> id = NodeId.tryParse(f[1]);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        try {
            return switch (f[0]) {
                case "up" -> Optional.of(new NodeEvent(Kind.UP, id.get(), Optional.empty(),
                        OptionalLong.of(Long.parseLong(f[2])), receivedNanos));
                case "down" -> Optional.of(new NodeEvent(Kind.DOWN, id.get(), Optional.of(NodeDownReason.valueOf(f[2])),
                        OptionalLong.empty(), receivedNanos));
                default -> Optional.empty();
            };
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return kind == Kind.UP
                ? "up " + node + " (incarnation " + incarnation.orElse(0) + ")"
                : "down " + node + " (" + reason.map(Enum::name).orElse("?") + ")";
    }
}
