package io.noex;

import java.util.Comparator;
import java.util.Objects;

/**
 * The address of a GenServer: its id and the node it lives on. A value, valid on every node: a
 * ref handed to another node (inside a message, say) still names the same process there, and
 * {@code GenServer.call} on it goes over the network with no other change.
 *
 * <p>{@code id} is either the process id the runtime assigned at start (it begins with {@code <},
 * as {@code <k3f9.42>}, so it can never collide with a registered name), or a name registered on
 * that node: {@code new GenServerRef("counter", nodeId)} addresses whatever process holds the
 * local name {@code counter} on {@code nodeId} when the message arrives.
 *
 * @param id the process id or a registered name on {@code nodeId}
 * @param nodeId the node the process lives on
 */
public record GenServerRef(String id, NodeId nodeId) implements Comparable<GenServerRef> {

    private static final Comparator<GenServerRef> ORDER =
            Comparator.comparing(GenServerRef::nodeId).thenComparing(GenServerRef::id);

    /**
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if {@code id} is empty
     */
    public GenServerRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(nodeId, "nodeId");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("GenServerRef id must not be empty");
        }
    }

    /** @return true if {@code id} is a runtime-assigned process id rather than a registered name */
    public boolean isProcessId() {
        return id.charAt(0) == '<';
    }

    /** @return {@code id@node}, for logs */
    @Override
    public String toString() {
        return id + "@" + nodeId;
    }

    @Override
    public int compareTo(GenServerRef other) {
        return ORDER.compare(this, other);
    }
}
