package io.noex.examples;

import io.noex.Node;
import io.noex.testkit.LocalCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The cluster the example tests run on: three nodes in this JVM over real TCP, hosting the example behaviors. */
public final class ExampleNodes {

    private ExampleNodes() {
    }

    /** @return nodes a, b and c, connected to each other, each hosting {@link ExampleBehaviors} */
    public static LocalCluster start() {
        LocalCluster cluster = LocalCluster.builder().names("a", "b", "c").start(); // default heartbeats, as ExampleCluster
        for (int i = 0; i < cluster.size(); i++) {
            Node node = cluster.node(i);
            ExampleBehaviors.registerAll(node);
        }
        cluster.awaitFullMesh(Duration.ofSeconds(15));
        return cluster;
    }

    /** @return the cluster's nodes, in order */
    public static List<Node> nodes(LocalCluster cluster) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            nodes.add(cluster.node(i));
        }
        return nodes;
    }
}
