package io.noex.distribution;

/** A member's connection state, as this node sees it. */
public enum NodeStatus {
    /** Connected, and heartbeats arrive. */
    CONNECTED,
    /** Known but not connected: being dialed, or down and retained for a while. */
    DISCONNECTED
}
