package io.noex.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.StartOptions;
import io.noex.UnknownMessageException;
import io.noex.distribution.ClusterConfig;
import io.noex.distribution.ClusterMembership;
import io.noex.distribution.RemoteSpawn;
import io.noex.distribution.SpawnOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ExampleBehaviorsTest {

    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (Node n : nodes) {
            ClusterMembership.of(n).stop();
            n.close();
        }
    }

    private Node node(String name) {
        Node n = Node.create(name);
        nodes.add(n);
        ExampleBehaviors.registerAll(n);
        return n;
    }

    private ClusterMembership join(Node n, String... seeds) {
        ClusterMembership m = ClusterMembership.of(n);
        m.start(ClusterConfig.builder().nodeName(n.name()).host("127.0.0.1").port(0).seeds(seeds)
                .heartbeatInterval(Duration.ofMillis(200)).build());
        return m;
    }

    @Test
    void counter_addsCastsAndRepliesToGet() {
        Node a = node("a");
        GenServerRef counter = a.start(ExampleBehaviors.counter(), StartOptions.builder().args(List.of(10)).build());

        a.cast(counter, new Counter.Increment(5));
        a.cast(counter, new Counter.Increment(-2));

        assertThat((Integer) a.call(counter, new Counter.Get())).isEqualTo(13);
        assertThatThrownBy(() -> a.call(counter, "what")).isInstanceOf(UnknownMessageException.class);
        assertThat(a.isRunning(counter)).isTrue();
    }

    @Test
    void registerAll_isIdempotent_andStartServersRegistersTheNames() {
        Node a = node("a");
        ExampleBehaviors.registerAll(a);

        List<GenServerRef> refs = ExampleBehaviors.startServers(a);

        assertThat(a.names().whereis(ExampleBehaviors.COUNTER)).contains(refs.get(0));
        assertThat(a.names().whereis(ExampleBehaviors.ECHO)).contains(refs.get(1));
        assertThat(a.processCount()).isEqualTo(2);
    }

    @Test
    void overTheNetwork_echoSaysWhichNodeAnswered_andACounterSpawnedRemotelyCounts() {
        Node a = node("a");
        Node b = node("b");
        ExampleBehaviors.startServers(b);
        ClusterMembership am = join(a);
        ClusterMembership bm = join(b, am.localNodeId().toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> am.isNodeConnected(bm.localNodeId()));

        Echo.Pong pong = a.call(new GenServerRef(ExampleBehaviors.ECHO, bm.localNodeId()), new Echo.Ping("hello"));
        assertThat(pong).isEqualTo(new Echo.Pong("hello", bm.localNodeId(), 1));

        GenServerRef counter = RemoteSpawn.spawn(a, ExampleBehaviors.COUNTER, bm.localNodeId(),
                SpawnOptions.builder().args(7).build()).ref();
        a.cast(counter, new Counter.Increment(3));
        assertThat((Integer) a.call(counter, new Counter.Get())).isEqualTo(10);
        assertThat(counter.nodeId()).isEqualTo(bm.localNodeId());
    }
}
