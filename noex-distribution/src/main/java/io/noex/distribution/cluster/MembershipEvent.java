package io.noex.distribution.cluster;

import io.noex.NodeId;
import io.noex.distribution.NodeDownReason;

/** What a membership transition asks the runtime to do or to tell. */
public sealed interface MembershipEvent {

    /** Tell listeners a node is up. */
    record Up(Member member) implements MembershipEvent {
    }

    /** Tell listeners a node (in the given incarnation) is down. */
    record Down(Member member, NodeDownReason reason) implements MembershipEvent {
    }

    /** Keep this node connected (dial it, redial on loss). */
    record Dial(NodeId id) implements MembershipEvent {
    }

    /** Stop dialing this node and close any connection to it. */
    record Forget(NodeId id) implements MembershipEvent {
    }

    /** Close the connection to this incarnation of the node (it missed its heartbeats); keep redialing. */
    record Disconnect(NodeId id, long incarnation) implements MembershipEvent {
    }
}
