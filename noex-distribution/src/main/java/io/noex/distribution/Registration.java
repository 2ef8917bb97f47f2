package io.noex.distribution;

/** How a spawned process's name is registered. */
public enum Registration {
    /** In the target node's local registry ({@code Registry}). */
    LOCAL,
    /** In the cluster-wide {@code GlobalRegistry}. */
    GLOBAL,
    /** Nowhere, even if a name is given. */
    NONE
}
