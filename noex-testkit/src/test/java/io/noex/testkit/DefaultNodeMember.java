package io.noex.testkit;

import io.noex.Node;
import io.noex.NodeId;
import io.noex.distribution.Cluster;
import io.noex.distribution.ClusterConfig;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The test JVM's own default node as a member of a cluster of child JVMs, so that the static
 * facades ({@code GlobalRegistry}, {@code RemoteMonitor}, {@code RemoteLink}, {@code GenServer})
 * act for it from the test's thread. Registered as an extension, it stops that cluster and closes
 * the default node after each test (the next use creates a fresh one).
 */
final class DefaultNodeMember implements AfterEachCallback {

    /**
     * Starts the default node's cluster on 127.0.0.1, a free port.
     *
     * @param name its node name
     * @param heartbeat the heartbeat interval (threshold 3), as the children use
     * @param seeds nodes to join through
     * @return the default node
     */
    Node join(String name, Duration heartbeat, NodeId... seeds) {
        return join(name, heartbeat, Duration.ofSeconds(60), seeds);
    }

    /**
     * @param downNodeRetention how long lost nodes and removed names are remembered (the default is 60 s)
     * @see #join(String, Duration, NodeId...)
     */
    Node join(String name, Duration heartbeat, Duration downNodeRetention, NodeId... seeds) {
        Cluster.start(ClusterConfig.builder().nodeName(name).host("127.0.0.1").port(0).heartbeatInterval(heartbeat)
                .downNodeRetention(downNodeRetention)
                .seeds(Arrays.stream(seeds).map(NodeId::toString).toArray(String[]::new)).build());
        return Node.defaultNode();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            Cluster.stop();
        } finally {
            Node.defaultNode().close();
        }
    }
}
