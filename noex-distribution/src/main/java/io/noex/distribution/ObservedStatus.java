package io.noex.distribution;

/** How an observed node answered a {@link ClusterObserver} snapshot request. */
public enum ObservedStatus {
    /** It answered: the figures are its own. */
    CONNECTED,
    /** It is a known member but not connected: no figures. */
    DISCONNECTED,
    /** It is connected but did not answer in time. */
    TIMEOUT,
    /** The request failed (the message says why). */
    ERROR
}
