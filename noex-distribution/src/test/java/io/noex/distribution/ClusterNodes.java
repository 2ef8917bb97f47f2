package io.noex.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.noex.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Clustered nodes in this JVM for a test: started on 127.0.0.1 with free ports, closed after. */
final class ClusterNodes implements AutoCloseable {

    private final List<Node> nodes = new ArrayList<>();
    private final Consumer<Node> prepare;

    /** @param prepare runs on each node before its cluster starts (registrations) */
    ClusterNodes(Consumer<Node> prepare) {
        this.prepare = prepare;
    }

    Node start(String name, Node... seeds) {
        return start(name, b -> { }, seeds);
    }

    Node start(String name, Consumer<ClusterConfig.Builder> tune, Node... seeds) {
        Node n = Node.create(name);
        nodes.add(n);
        prepare.accept(n);
        ClusterConfig.Builder b = ClusterConfig.builder().nodeName(name).host("127.0.0.1").port(0)
                .heartbeatInterval(Duration.ofMillis(200));
        List<String> s = new ArrayList<>();
        for (Node seed : seeds) {
            s.add(seed.nodeId().toString());
        }
        b.seeds(s);
        tune.accept(b);
        ClusterMembership.of(n).start(b.build());
        return n;
    }

    /** Waits until every given node is connected to every other. */
    static void awaitMesh(Node... members) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (Node m : members) {
                assertThat(ClusterMembership.of(m).connectedNodes()).hasSize(members.length - 1);
            }
        });
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            ClusterMembership.of(n).stop();
            n.close();
        }
    }
}
