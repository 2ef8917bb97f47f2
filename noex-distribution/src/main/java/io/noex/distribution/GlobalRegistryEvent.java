package io.noex.distribution;

import io.noex.GenServerRef;
import io.noex.NodeId;

/** What {@link GlobalRegistry#onEvent} reports, as this node sees it. */
public sealed interface GlobalRegistryEvent {

    /**
     * A name now names a process.
     *
     * @param name the name
     * @param ref the process
     */
    record Registered(String name, GenServerRef ref) implements GlobalRegistryEvent {
    }

    /**
     * A name was released: unregistered, its process exited, or its node went down.
     *
     * @param name the name
     * @param ref the process it named
     */
    record Unregistered(String name, GenServerRef ref) implements GlobalRegistryEvent {
    }

    /**
     * Two registrations of one name met; every node keeps the same winner.
     *
     * @param name the name
     * @param winner the process that keeps it
     * @param loser the process that lost it
     */
    record ConflictResolved(String name, GenServerRef winner, GenServerRef loser) implements GlobalRegistryEvent {
    }

    /**
     * The full table of a member (one that joined, or came back after a partition) was merged.
     *
     * @param from the member
     * @param entries how many entries it sent
     */
    record Synced(NodeId from, int entries) implements GlobalRegistryEvent {
    }
}
