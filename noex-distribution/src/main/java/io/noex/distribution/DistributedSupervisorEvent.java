package io.noex.distribution;

import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.NodeId;
import java.util.List;

/** A lifecycle event of a {@link DistributedSupervisor}, emitted when it happens. */
public sealed interface DistributedSupervisorEvent {

    /**
     * The supervisor started and so did its initial children.
     *
     * @param supervisor the supervisor
     */
    record SupervisorStarted(GenServerRef supervisor) implements DistributedSupervisorEvent {
    }

    /**
     * The supervisor stopped (its children were stopped first).
     *
     * @param supervisor the supervisor
     * @param reason why (an error reason if it gave up on its restart intensity)
     */
    record SupervisorStopped(GenServerRef supervisor, ExitReason reason) implements DistributedSupervisorEvent {
    }

    /**
     * A child was started (at first, or by {@code startChild} or {@code restartChild}).
     *
     * @param childId the child
     * @param ref its process
     * @param node its node
     */
    record ChildStarted(String childId, GenServerRef ref, NodeId node) implements DistributedSupervisorEvent {
    }

    /**
     * A child stopped and will not be restarted (terminated, or not restarted by its restart type).
     *
     * @param childId the child
     * @param ref its last process
     * @param reason why it stopped
     */
    record ChildStopped(String childId, GenServerRef ref, ExitReason reason) implements DistributedSupervisorEvent {
    }

    /**
     * A child that exited was restarted (on the same node when that node is up).
     *
     * @param childId the child
     * @param previous its previous process
     * @param ref its new process
     * @param node the new process's node
     * @param restartCount restarts of this child so far
     */
    record ChildRestarted(String childId, GenServerRef previous, GenServerRef ref, NodeId node, int restartCount)
            implements DistributedSupervisorEvent {
    }

    /**
     * A child whose node was lost was started again on another node.
     *
     * @param childId the child
     * @param from the lost node
     * @param to its new node
     * @param ref its new process
     */
    record ChildMigrated(String childId, NodeId from, NodeId to, GenServerRef ref) implements DistributedSupervisorEvent {
    }

    /**
     * A node hosting children was lost; its children are migrated next.
     *
     * @param node the lost node
     * @param childIds its children
     */
    record NodeFailureDetected(NodeId node, List<String> childIds) implements DistributedSupervisorEvent {
    }
}
