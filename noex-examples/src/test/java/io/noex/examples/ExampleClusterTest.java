package io.noex.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.noex.GenServerRef;
import io.noex.distribution.ClusterMembership;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ExampleClusterTest {

    @Test
    void start_connectsEveryNode_andTheNodesCallEachOther() {
        try (ExampleCluster cluster = ExampleCluster.start(List.of("a", "b", "c"), ExampleBehaviors::registerAll)) {
            for (int i = 0; i < 3; i++) {
                assertThat(ClusterMembership.of(cluster.node(i)).connectedNodes()).hasSize(2);
            }
            ExampleBehaviors.startServers(cluster.node(2));
            Echo.Pong pong = cluster.node(0).call(new GenServerRef(ExampleBehaviors.ECHO, cluster.nodeId(2)), new Echo.Ping("hi"));
            assertThat(pong.node()).isEqualTo(cluster.nodeId(2));

            cluster.stop(1);
            cluster.stop(1); // idempotent
            assertThat(cluster.node(1).isClosed()).isTrue();
        }
    }

    @Test
    void await_givesUpWithAMessageNamingWhatWasAwaited() {
        assertThat(ExampleCluster.await("a value", Duration.ofSeconds(1), () -> Optional.of(7))).isEqualTo(7);
        assertThatThrownBy(() -> ExampleCluster.await("the moon", Duration.ofMillis(50), Optional::empty))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("for the moon");
    }

    @Test
    void start_withAnInvalidName_failsNamingIt() {
        assertThatThrownBy(() -> ExampleCluster.start(List.of("a", "9bad"), n -> { }))
                .hasMessageContaining("9bad");
    }
}
