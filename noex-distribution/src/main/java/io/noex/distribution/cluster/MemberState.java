package io.noex.distribution.cluster;

/** A member's state in this node's view. */
public enum MemberState {
    /** Known (a seed, or announced by gossip) and being dialed; never connected in this incarnation. */
    JOINING,
    /** Connected, handshaken, heartbeats arriving. */
    UP,
    /** Was up and is not any more; redialed until it is forgotten. */
    DOWN
}
