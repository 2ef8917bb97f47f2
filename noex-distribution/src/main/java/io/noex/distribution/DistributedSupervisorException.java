package io.noex.distribution;

import io.noex.NoexException;

/** A distributed supervisor refused or could not carry out an operation; it keeps running. */
public final class DistributedSupervisorException extends NoexException {

    private final String childId;

    /**
     * @param childId the child concerned ("-" if none)
     * @param message what was wrong
     * @param cause the underlying failure, or null
     */
    public DistributedSupervisorException(String childId, String message, Throwable cause) {
        super(message, cause);
        this.childId = childId;
    }

    /** @return the child concerned */
    public String childId() {
        return childId;
    }
}
