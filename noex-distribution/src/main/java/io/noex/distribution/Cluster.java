package io.noex.distribution;

import io.noex.Node;
import io.noex.NodeId;
import io.noex.Subscription;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The cluster membership of the current node (inside a GenServer callback, the node running it;
 * elsewhere the JVM's default node). Each method delegates to
 * {@link ClusterMembership#of(Node) ClusterMembership.of(Node.current())}, where it is documented.
 * {@snippet :
 * Cluster.start(ClusterConfig.builder()
 *         .nodeName("nodeB")
 *         .port(4370)
 *         .seeds("nodeA@192.168.1.1:4369")
 *         .build());
 * Cluster.onNodeDown((node, reason) -> System.out.println(node + " went down: " + reason));
 * }
 */
public final class Cluster {

    private Cluster() {
    }

    private static ClusterMembership current() {
        return ClusterMembership.of(Node.current());
    }

    /**
     * @param config the settings
     * @see ClusterMembership#start(ClusterConfig)
     */
    public static void start(ClusterConfig config) {
        current().start(config);
    }

    /** @see ClusterMembership#stop() */
    public static void stop() {
        current().stop();
    }

    /**
     * @return this node's NodeId
     * @see ClusterMembership#localNodeId()
     */
    public static NodeId getLocalNodeId() {
        return current().localNodeId();
    }

    /**
     * @return every known member, this node first
     * @see ClusterMembership#nodes()
     */
    public static List<NodeInfo> getNodes() {
        return current().nodes();
    }

    /**
     * @return the members this node is connected to
     * @see ClusterMembership#connectedNodes()
     */
    public static List<NodeInfo> getConnectedNodes() {
        return current().connectedNodes();
    }

    /**
     * @param id a node
     * @return what this node knows about it
     * @see ClusterMembership#node(NodeId)
     */
    public static Optional<NodeInfo> getNode(NodeId id) {
        return current().node(id);
    }

    /**
     * @param id a node
     * @return whether it is connected
     * @see ClusterMembership#isNodeConnected(NodeId)
     */
    public static boolean isNodeConnected(NodeId id) {
        return current().isNodeConnected(id);
    }

    /**
     * @return the cluster status
     * @see ClusterMembership#status()
     */
    public static ClusterStatus getStatus() {
        return current().status();
    }

    /**
     * @param listener told of nodes coming up
     * @return unsubscribes when closed
     * @see ClusterMembership#onNodeUp(Consumer)
     */
    public static Subscription onNodeUp(Consumer<NodeInfo> listener) {
        return current().onNodeUp(listener);
    }

    /**
     * @param listener told of nodes going down
     * @return unsubscribes when closed
     * @see ClusterMembership#onNodeDown(BiConsumer)
     */
    public static Subscription onNodeDown(BiConsumer<NodeId, NodeDownReason> listener) {
        return current().onNodeDown(listener);
    }

    /**
     * @param listener told of status changes
     * @return unsubscribes when closed
     * @see ClusterMembership#onStatusChange(Consumer)
     */
    public static Subscription onStatusChange(Consumer<ClusterStatus> listener) {
        return current().onStatusChange(listener);
    }
}
