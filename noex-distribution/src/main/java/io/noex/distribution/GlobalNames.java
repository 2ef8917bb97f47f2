package io.noex.distribution;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.Subscription;
import io.noex.distribution.registry.GlobalRegistryService;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The cluster-wide names of one clustered {@link Node}; the static {@link GlobalRegistry}
 * delegates here for the current node. Needs the node's cluster to be running.
 *
 * <p>Threading: thread-safe; lookups never block.
 */
public final class GlobalNames {

    private final GlobalRegistryService service;

    private GlobalNames(GlobalRegistryService service) {
        this.service = service;
    }

    /**
     * @param node a clustered node
     * @return its global names
     * @throws ClusterStateException if the node's cluster is not running
     */
    public static GlobalNames of(Node node) {
        ClusterMembership m = ClusterMembership.of(node);
        return new GlobalNames(m.registry().orElseThrow(() -> new ClusterStateException(m.status(),
                "the GlobalRegistry needs a running cluster (Cluster.start) on node " + node.nodeId())));
    }

    /**
     * Registers a name for a process, with {@link ConflictAction#EXIT} for a lost conflict.
     *
     * @param name the name
     * @param ref a running process on this node or a connected one
     * @throws GlobalNameConflictException if another process holds the name
     */
    public void register(String name, GenServerRef ref) {
        service.register(name, ref, ConflictAction.EXIT);
    }

    /**
     * @param name the name
     * @param ref a running process
     * @param onConflict what the process is told if it loses the name to a concurrent registration
     * @throws GlobalNameConflictException if another process holds the name
     */
    public void register(String name, GenServerRef ref, ConflictAction onConflict) {
        service.register(name, ref, onConflict);
    }

    /**
     * Releases a name, whichever node's process holds it (as Erlang's
     * {@code global:unregister_name}): this node removes it at once and tells every member, and
     * the process keeps running, unaware (it is not told). A name this node does not know (during
     * a partition, a name held on the other side) is left alone: the call returns false and
     * changes nothing anywhere.
     *
     * @param name the name
     * @return true if this node knew it, and it is now released everywhere
     */
    public boolean unregister(String name) {
        return service.unregister(name);
    }

    /**
     * @param name a name
     * @return the process registered under it, as this node knows
     */
    public Optional<GenServerRef> whereis(String name) {
        return service.whereis(name);
    }

    /**
     * @param name a name
     * @return the process registered under it
     * @throws GlobalNameNotFoundException if there is none
     */
    public GenServerRef lookup(String name) {
        return whereis(name).orElseThrow(() -> new GlobalNameNotFoundException(name));
    }

    /**
     * @param name a name
     * @return whether it is registered, as this node knows
     */
    public boolean isRegistered(String name) {
        return whereis(name).isPresent();
    }

    /** @return the registered names, sorted */
    public List<String> getNames() {
        return service.names();
    }

    /**
     * @param listener told of registrations, releases, resolved conflicts and syncs
     * @return unsubscribes when closed
     */
    public Subscription onEvent(Consumer<GlobalRegistryEvent> listener) {
        return service.onEvent(listener);
    }

    /** @return names in this node's replica */
    public int size() {
        return service.size();
    }

    /** @return the sizes of this node's registry tables, for metrics and leak checks */
    public GlobalRegistryStats stats() {
        return service.stats();
    }
}
