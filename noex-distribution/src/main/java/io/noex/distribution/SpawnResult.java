package io.noex.distribution;

import io.noex.GenServerRef;
import io.noex.NodeId;

/**
 * A process {@link RemoteSpawn#spawn} started.
 *
 * @param serverId its process id on its node
 * @param nodeId its node
 */
public record SpawnResult(String serverId, NodeId nodeId) {

    /** @return its ref, callable from every node */
    public GenServerRef ref() {
        return new GenServerRef(serverId, nodeId);
    }
}
