package io.noex.distribution;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.Subscription;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Cluster-wide process names, the seed's {@code GlobalRegistry} (Erlang's {@code global}): each
 * method delegates to {@link GlobalNames#of(Node) GlobalNames.of(Node.current())}.
 * {@snippet :
 * GlobalRegistry.register("leader", GenServer.self());
 * GenServerRef leader = GlobalRegistry.lookup("leader");   // on any node
 * }
 *
 * <p><b>Consistency</b> (in full, with what each side sees during a partition, in
 * {@code docs/consistency.md}). Every node holds a full replica and answers lookups from it without a
 * network round trip: the registry is available and eventually consistent. A registration is
 * visible on the other nodes once its message arrives (one hop). A name is released everywhere
 * when its process exits or its node is lost. During a network partition each side keeps working
 * on its own: names of processes on the other side are released there, and the same name may be
 * registered on both sides. When the partition heals the sides exchange tables and converge on
 * one winner per name, chosen the same way on every node by a rule that depends on neither wall
 * clocks nor arrival order (the earlier registration in causal order, then the smaller NodeId);
 * the losing process is told, by an exit signal or a {@link GlobalNameConflict} message
 * ({@link ConflictAction}).
 */
public final class GlobalRegistry {

    private GlobalRegistry() {
    }

    private static GlobalNames current() {
        return GlobalNames.of(Node.current());
    }

    /**
     * @param name the name
     * @param ref a running process
     * @see GlobalNames#register(String, GenServerRef)
     */
    public static void register(String name, GenServerRef ref) {
        current().register(name, ref);
    }

    /**
     * @param name the name
     * @param ref a running process
     * @param onConflict what it is told if it loses the name later
     * @see GlobalNames#register(String, GenServerRef, ConflictAction)
     */
    public static void register(String name, GenServerRef ref, ConflictAction onConflict) {
        current().register(name, ref, onConflict);
    }

    /**
     * @param name the name
     * @return true if it was registered
     * @see GlobalNames#unregister(String)
     */
    public static boolean unregister(String name) {
        return current().unregister(name);
    }

    /**
     * @param name a name
     * @return its process
     * @see GlobalNames#whereis(String)
     */
    public static Optional<GenServerRef> whereis(String name) {
        return current().whereis(name);
    }

    /**
     * @param name a name
     * @return its process
     * @see GlobalNames#lookup(String)
     */
    public static GenServerRef lookup(String name) {
        return current().lookup(name);
    }

    /**
     * @param name a name
     * @return whether it is registered
     * @see GlobalNames#isRegistered(String)
     */
    public static boolean isRegistered(String name) {
        return current().isRegistered(name);
    }

    /**
     * @return the names
     * @see GlobalNames#getNames()
     */
    public static List<String> getNames() {
        return current().getNames();
    }

    /**
     * @param listener told of registry events
     * @return unsubscribes when closed
     * @see GlobalNames#onEvent(Consumer)
     */
    public static Subscription onEvent(Consumer<GlobalRegistryEvent> listener) {
        return current().onEvent(listener);
    }
}
