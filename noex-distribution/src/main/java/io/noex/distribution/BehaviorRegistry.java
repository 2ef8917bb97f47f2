package io.noex.distribution;

import io.noex.GenServerBehavior;
import io.noex.Node;
import io.noex.distribution.remote.BehaviorTable;
import java.util.List;
import java.util.Optional;

/**
 * The behaviors other nodes may start on this one by name ({@link RemoteSpawn}) — register them
 * on every node, typically before {@link Cluster#start}. A node starts only behaviors registered
 * here: a peer can never make it run anything else.
 * {@snippet :
 * BehaviorRegistry.register("worker", new Worker());
 * }
 */
public final class BehaviorRegistry {

    private BehaviorRegistry() {
    }

    /**
     * Registers a behavior on the current node.
     *
     * @param name its name, the same on every node
     * @param behavior the callbacks
     * @throws IllegalArgumentException if the name is blank or taken by another behavior
     */
    public static void register(String name, GenServerBehavior<?> behavior) {
        table(Node.current()).register(name, behavior);
    }

    /**
     * Registers a behavior on a given node (for several nodes in one JVM).
     *
     * @param node the node
     * @param name its name
     * @param behavior the callbacks
     */
    public static void register(Node node, String name, GenServerBehavior<?> behavior) {
        table(node).register(name, behavior);
    }

    /**
     * @param name a behavior name
     * @return the behavior registered on the current node under it
     */
    public static Optional<GenServerBehavior<?>> get(String name) {
        return table(Node.current()).get(name);
    }

    /** @return the names registered on the current node */
    public static List<String> names() {
        return table(Node.current()).names();
    }

    static BehaviorTable table(Node node) {
        return node.extension(BehaviorTable.class, n -> new BehaviorTable());
    }
}
