package io.noex.distribution;

import io.noex.Node;
import io.noex.NodeId;
import io.noex.NodeNotReachableException;
import io.noex.distribution.remote.LocalSpawner;
import io.noex.distribution.remote.RemoteLayer;

/**
 * Starts a registered behavior ({@link BehaviorRegistry}) on a node by name — this node or any
 * connected member — and returns a ref callable from every node.
 * {@snippet :
 * SpawnResult worker = RemoteSpawn.spawn("worker", nodeB, SpawnOptions.builder()
 *         .name("primary-worker").registration(Registration.GLOBAL).args(List.of(42)).build());
 * RemoteCall.call(worker.ref(), new Work("x"));
 * }
 *
 * <p>Errors: {@link BehaviorNotFoundException}, {@link RemoteSpawnInitException} (init threw or
 * timed out, with the cause), {@link RemoteSpawnRegistrationException} (the name is taken),
 * {@link RemoteSpawnTimeoutException}, {@link io.noex.NodeNotReachableException}.
 */
public final class RemoteSpawn {

    private RemoteSpawn() {
    }

    /**
     * @param behaviorName the registered behavior
     * @param target the node to start it on
     * @return the new process
     */
    public static SpawnResult spawn(String behaviorName, NodeId target) {
        return spawn(Node.current(), behaviorName, target, SpawnOptions.defaults());
    }

    /**
     * @param behaviorName the registered behavior
     * @param target the node to start it on
     * @param options name and registration, init timeout, spawn timeout, init arguments
     * @return the new process
     */
    public static SpawnResult spawn(String behaviorName, NodeId target, SpawnOptions options) {
        return spawn(Node.current(), behaviorName, target, options);
    }

    /**
     * {@link #spawn(String, NodeId, SpawnOptions)} from a given node (for several nodes in one JVM).
     *
     * @param from the node asking
     * @param behaviorName the registered behavior
     * @param target the node to start it on
     * @param options the options
     * @return the new process
     */
    public static SpawnResult spawn(Node from, String behaviorName, NodeId target, SpawnOptions options) {
        SpawnResult result;
        if (from.isLocal(target)) {
            result = new SpawnResult(LocalSpawner.start(from, BehaviorRegistry.table(from), behaviorName, options).id(),
                    from.nodeId());
        } else {
            RemoteLayer remote = ClusterMembership.of(from).remote()
                    .orElseThrow(() -> new NodeNotReachableException(target, "this node runs no cluster"));
            result = remote.spawn(behaviorName, target, options);
        }
        if (options.registration() == Registration.GLOBAL && options.name().isPresent()) {
            registerGlobally(from, options.name().get(), result);
        }
        return result;
    }

    /** A globally named spawn keeps its process only if the name is its; otherwise it is stopped. */
    private static void registerGlobally(Node from, String name, SpawnResult result) {
        try {
            GlobalNames.of(from).register(name, result.ref());
        } catch (GlobalNameConflictException | ClusterStateException e) {
            from.kill(result.ref());
            throw new RemoteSpawnRegistrationException(name, Registration.GLOBAL, result.nodeId(), e.getMessage());
        }
    }
}
