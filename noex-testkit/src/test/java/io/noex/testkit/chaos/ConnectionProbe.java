package io.noex.testkit.chaos;

import io.noex.Node;
import io.noex.NodeId;
import io.noex.distribution.ClusterMembership;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;

/**
 * Reads which connection object a node currently holds to a peer, so that {@link CastSequencer}
 * can tell one connection's casts from the next one's. The library does not expose connections
 * (nor should it), and its public events arrive later than the connection changes, so this reads
 * the cluster runtime's own table, reflectively; it only looks, never sends. The suite's JVMs run
 * on the class path, where the distribution's packages are open to reflection.
 *
 * <p>Threading: thread-safe.
 */
final class ConnectionProbe {

    private final ClusterMembership membership;
    private final MethodHandle runtime;
    private final MethodHandle connection;

    /**
     * @param node a clustered node
     * @throws IllegalStateException if the library's internals no longer have the expected shape
     */
    ConnectionProbe(Node node) {
        this.membership = ClusterMembership.of(node);
        try {
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(ClusterMembership.class, MethodHandles.lookup());
            this.runtime = l.findVirtual(ClusterMembership.class, "runtime", MethodType.methodType(Optional.class));
            Class<?> runtimeClass = Class.forName("io.noex.distribution.cluster.ClusterRuntime");
            this.connection = MethodHandles.publicLookup().findVirtual(runtimeClass, "connection",
                    MethodType.methodType(Optional.class, NodeId.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the chaos suite reads ClusterMembership.runtime() and "
                    + "ClusterRuntime.connection(NodeId) to tell connections apart; they changed: " + e, e);
        }
    }

    /**
     * @param peer a node
     * @return the connection this node holds to it now, or null if none (compare by identity)
     */
    Object connection(NodeId peer) {
        try {
            Optional<?> rt = (Optional<?>) runtime.invoke(membership);
            if (rt.isEmpty()) {
                return null;
            }
            Optional<?> c = (Optional<?>) connection.invoke(rt.get(), peer);
            return c.orElse(null);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("reading the connection to " + peer + " failed", t);
        }
    }
}
