package io.noex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class NodeTest {

    @Test
    void twoNodesInOneJvm_aProcessStartsItsChildOnItsOwnNode() {
        try (Node x = Node.create("x"); Node y = Node.create("y")) {
            GenServerRef parent = x.start(new Probe());
            GenServerRef child = x.call(parent, (Probe.Action) s -> GenServer.start(new Probe()));
            assertThat(child.nodeId()).isEqualTo(x.nodeId());
            assertThat(x.isRunning(child)).isTrue();
            assertThat(y.processCount()).isZero();
            Node seen = x.call(parent, (Probe.Action) s -> Node.current());
            assertThat(seen).isSameAs(x);
            assertThat(x.nodeId()).isNotEqualTo(y.nodeId());
        }
    }

    @Test
    void outsideAProcess_theFacadesUseTheDefaultNode() {
        GenServerRef ref = GenServer.start(new Probe());
        try {
            assertThat(Node.current()).isSameAs(Node.defaultNode());
            assertThat(ref.nodeId()).isEqualTo(Node.defaultNode().nodeId());
            GenServer.cast(ref, "inc");
            assertThat((int) GenServer.call(ref, "count")).isEqualTo(1);
            Registry.register("facade-name", ref);
            assertThat(Registry.whereis("facade-name")).contains(ref);
        } finally {
            GenServer.stop(ref);
        }
        assertThat(Registry.whereis("facade-name")).isEmpty();
    }

    @Test
    void aRefToAnotherNode_withoutACluster_isNotReachable() {
        try (Node x = Node.create("x"); Node y = Node.create("y")) {
            GenServerRef onY = y.start(new Probe());
            assertThatThrownBy(() -> x.call(onY, "count"))
                    .isInstanceOfSatisfying(NodeNotReachableException.class,
                            e -> assertThat(e.nodeId()).isEqualTo(y.nodeId()));
            x.cast(onY, "inc");
            assertThat(x.stats().droppedMessages()).isEqualTo(1);
            assertThat(x.isRunning(onY)).isFalse();
        }
    }

    @Test
    void close_stopsEveryProcessWithShutdown_andRefusesNewOnes() throws Exception {
        Node node = Node.create("closing");
        Probe probe = new Probe();
        node.start(probe);
        for (int i = 0; i < 100; i++) {
            node.start(new Probe());
        }
        node.close();
        assertThat(node.processCount()).isZero();
        assertThat(probe.next(Probe.Terminated.class).reason()).isEqualTo(ExitReason.shutdown());
        assertThat(node.isClosed()).isTrue();
        assertThatThrownBy(() -> node.start(new Probe())).isInstanceOf(NodeClosedException.class);
        node.close();
    }

    @Test
    void close_doesNotLetSupervisorsRestartTheirChildren() {
        Node node = Node.create("sup-closing");
        node.supervisors().start(SupervisorSpec.builder()
                .child(ChildSpec.worker("w", new Probe()).build())
                .child(ChildSpec.worker("v", new Probe()).build())
                .build());
        node.close();
        assertThat(node.processCount()).isZero();
        assertThat(node.stats().started()).isEqualTo(3);
    }

    @Test
    void defaultNode_isCreatedAgainAfterItWasClosed() {
        Node first = Node.defaultNode();
        first.close();
        Node second = Node.defaultNode();
        assertThat(second).isNotSameAs(first);
        assertThat(second.isClosed()).isFalse();
    }

    @Test
    void nodeName_followsTheNodeIdRules() {
        assertThatThrownBy(() -> Node.create("9lives")).isInstanceOf(InvalidNodeIdException.class);
        try (Node n = Node.create("alpha")) {
            assertThat(n.nodeId().toString()).isEqualTo("alpha@nohost:1");
            assertThat(n.isLocal(NodeId.parse("alpha@nohost:1"))).isTrue();
        }
    }

    @Test
    void callsFromManyPlatformThreadsAtOnce_allGetTheirOwnReplies() throws Exception {
        try (Node node = Node.create("many")) {
            GenServerRef ref = node.start(new Probe());
            Thread[] threads = new Thread[8];
            java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
            for (int t = 0; t < threads.length; t++) {
                int id = t;
                threads[t] = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        int expected = id * 1_000_000 + i;
                        Object got = node.call(ref, (Probe.Action) s -> expected, Duration.ofSeconds(10));
                        if (!Integer.valueOf(expected).equals(got)) {
                            wrong.incrementAndGet();
                        }
                    }
                });
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(wrong.get()).isZero();
        }
    }
}
