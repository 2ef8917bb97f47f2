package io.noex.distribution;

import io.noex.GenServerRef;
import io.noex.NodeId;
import io.noex.NoexException;

/** {@code GlobalRegistry.register} of a name another process holds. Nothing was changed. */
public final class GlobalNameConflictException extends NoexException {

    private final String name;
    private final GenServerRef holder;

    /**
     * @param name the name
     * @param holder the process holding it
     */
    public GlobalNameConflictException(String name, GenServerRef holder) {
        super("global name '" + name + "' is already registered to " + holder + " (on node " + holder.nodeId() + ")");
        this.name = name;
        this.holder = holder;
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return the process holding it */
    public GenServerRef holder() {
        return holder;
    }

    /** @return the node of the process holding it */
    public NodeId existingNode() {
        return holder.nodeId();
    }
}
