package io.noex.distribution;

import io.noex.NodeId;
import io.noex.NoexException;

/** The spawned process's name could not be registered (it is taken); the process was not kept. */
public final class RemoteSpawnRegistrationException extends NoexException {

    private final String name;
    private final Registration registration;
    private final NodeId nodeId;

    /**
     * @param name the name
     * @param registration local or global
     * @param nodeId the target node
     * @param detail why
     */
    public RemoteSpawnRegistrationException(String name, Registration registration, NodeId nodeId, String detail) {
        super("cannot register '" + name + "' (" + registration + ") for a process on " + nodeId + ": " + detail);
        this.name = name;
        this.registration = registration;
        this.nodeId = nodeId;
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return how it was to be registered */
    public Registration registration() {
        return registration;
    }

    /** @return the target node */
    public NodeId nodeId() {
        return nodeId;
    }
}
