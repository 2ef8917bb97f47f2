package io.noex.distribution;

import io.noex.NoexException;

/** A cluster operation that does not fit the cluster's state: starting one twice, say. */
public final class ClusterStateException extends NoexException {

    private final ClusterStatus status;

    /**
     * @param status the state the cluster was in
     * @param message what was attempted
     */
    public ClusterStateException(ClusterStatus status, String message) {
        super(message + " (cluster status: " + status + ")");
        this.status = status;
    }

    /** @return the state the cluster was in */
    public ClusterStatus status() {
        return status;
    }
}
