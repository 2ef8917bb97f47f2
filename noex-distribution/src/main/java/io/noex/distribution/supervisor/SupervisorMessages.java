package io.noex.distribution.supervisor;

import io.noex.NodeId;
import io.noex.distribution.DistributedChildSpec;
import java.util.List;

/**
 * The requests a distributed supervisor process handles. The serializable ones work from any
 * node (they are registered with the wire codec); {@link StartChildLocal} carries a spec that may
 * hold a custom selector (a lambda) and is only sent on the supervisor's own node.
 */
public final class SupervisorMessages {

    private SupervisorMessages() {
    }

    /** Add and start a child described by plain values. */
    public record StartChild(String id, String behavior, List<Object> args, String restart, long shutdownMillis) {
    }

    /** Add and start a child from a full spec (same node only). */
    public record StartChildLocal(DistributedChildSpec spec) {
    }

    /** Start another instance of a SIMPLE_ONE_FOR_ONE template. */
    public record StartInstance(List<Object> args) {
    }

    /** Stop a child (its spec is kept, except for temporary or dynamic children). */
    public record TerminateChild(String id) {
    }

    /** Start a terminated child again. */
    public record RestartChild(String id) {
    }

    /** List the children. */
    public record WhichChildren() {
    }

    /** Count the children. */
    public record CountChildren() {
    }

    /** The answer to a request the supervisor refused; thrown again at the caller. */
    public record Refused(String childId, String message) {
    }

    /** Info: this node lost a member (sent by the supervision service). */
    public record NodeLost(NodeId node, String reason) {
    }

    /** Info: time to start the children parked after {@code from} was lost (after the fencing delay). */
    public record Migrate(NodeId from) {
    }
}
