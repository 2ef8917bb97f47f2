package io.noex.examples.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.noex.NodeId;
import io.noex.distribution.DistributedChildInfo;
import io.noex.distribution.DistributedSupervisorEvent;
import io.noex.examples.ExampleNodes;
import io.noex.testkit.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(90)
class WorkerPoolExampleTest {

    @RegisterExtension
    final LocalCluster cluster = ExampleNodes.start();

    @Test
    void run_spreadsWorkersOverThreeNodes_andMovesThemOffANodeThatLeaves() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        NodeId a = cluster.nodeId(0);
        NodeId b = cluster.nodeId(1);
        NodeId c = cluster.nodeId(2);

        WorkerPoolExample.Result r = WorkerPoolExample.run(cluster.node(0), c, () -> cluster.stop(2),
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(perNode(r.before())).isEqualTo(Map.of(a, 2L, b, 2L, c, 2L));
        assertThat(perNode(r.after())).containsOnlyKeys(a, b);
        assertThat(r.after()).hasSize(WorkerPoolExample.WORKERS).allMatch(w -> w.ref().isPresent());
        assertThat(r.jobsBefore()).hasSize(WorkerPoolExample.JOBS)
                .extracting(Worker.Done::node).contains(a, b, c);
        assertThat(r.jobsAfter()).hasSize(WorkerPoolExample.JOBS)
                .extracting(Worker.Done::node).containsOnly(a, b);
        assertThat(r.jobsBefore().get(0).primes()).isEqualTo(1229); // primes up to 10,000
        assertThat(r.events()).filteredOn(e -> e instanceof DistributedSupervisorEvent.ChildMigrated)
                .hasSize(2).allMatch(e -> ((DistributedSupervisorEvent.ChildMigrated) e).from().equals(c));
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("supervisor: lost " + c, "moved from c to");
    }

    @Test
    void close_stopsEveryWorkerOnEveryNode() {
        int before = cluster.node(1).processCount() + cluster.node(2).processCount();
        WorkerPool pool = WorkerPool.start(cluster.node(0), 4, e -> { });
        assertThat(pool.run(new Worker.Job(100)).primes()).isEqualTo(25);

        pool.close();

        await().atMost(Duration.ofSeconds(10)).until(() ->
                cluster.node(1).processCount() + cluster.node(2).processCount() == before);
    }

    @Test
    void badInput_isRefusedAtTheSender() {
        assertThatThrownBy(() -> new Worker.Job(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Job.upTo = -1");
        assertThatThrownBy(() -> new Worker.Job(Worker.MAX_UP_TO + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkerPool.start(cluster.node(0), 0, e -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one worker");
    }

    private static Map<NodeId, Long> perNode(java.util.List<DistributedChildInfo> workers) {
        return workers.stream().collect(Collectors.groupingBy(DistributedChildInfo::nodeId, Collectors.counting()));
    }
}
