package io.noex.distribution;

import io.noex.Node;
import io.noex.distribution.serialization.TypeRegistry;

/**
 * Which records and enums may cross the network. Register each message type under a stable name
 * on every node, typically before {@link Cluster#start}; the name, not the class name, identifies
 * the type on the wire, and a receiver only ever builds registered types.
 * {@snippet :
 * Serialization.register("chat.Post", Post.class);
 * Serialization.register("chat.Room", Room.class);
 * }
 *
 * <p>Besides registered types, these cross as they are: null, booleans, Byte/Short/Integer/Long
 * (each decoded to its own type), Float/Double (NaN and infinities too), BigInteger, BigDecimal,
 * String, byte[], List, Set, Map (order kept), Instant, Date, LocalDate, Duration, UUID,
 * Optional, GenServerRef, NodeId and ExitReason.
 */
public final class Serialization {

    private Serialization() {
    }

    /**
     * Registers a type on the current node (inside a callback, its node; otherwise the default node).
     *
     * @param stableName the type's name on the wire, the same on every node
     * @param type a record or enum class (a record must be public with a public canonical constructor,
     *     or in a package open to noex)
     * @throws IllegalArgumentException if the type is neither a record nor an enum, or the name or
     *     the type is already registered to another
     */
    public static void register(String stableName, Class<?> type) {
        register(Node.current(), stableName, type);
    }

    /**
     * Registers a type on a given node (for several nodes in one JVM).
     *
     * @param node the node
     * @param stableName the type's name on the wire
     * @param type a record or enum class
     */
    public static void register(Node node, String stableName, Class<?> type) {
        registry(node).register(stableName, type);
    }

    static TypeRegistry registry(Node node) {
        return node.extension(TypeRegistry.class, n -> new TypeRegistry());
    }
}
