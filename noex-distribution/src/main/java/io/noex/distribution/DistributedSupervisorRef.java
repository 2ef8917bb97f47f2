package io.noex.distribution;

import io.noex.GenServerRef;

/**
 * A running distributed supervisor: the ref of its process (on the node that started it).
 *
 * @param ref the supervisor process
 */
public record DistributedSupervisorRef(GenServerRef ref) {
}
