package io.noex.examples.counter;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.examples.ExampleNodes;
import io.noex.testkit.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class DistributedCounterExampleTest {

    @Test
    void run_everyNodeCountsIntoOneGlobalCounter_andEveryNodeReadsTheSameTotal() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (LocalCluster cluster = ExampleNodes.start()) {
            DistributedCounterExample.Result result = DistributedCounterExample.run(
                    ExampleNodes.nodes(cluster), 500, new PrintStream(printed, true, StandardCharsets.UTF_8));

            assertThat(result.counter().nodeId()).isEqualTo(cluster.nodeId(2));
            assertThat(result.totals()).containsOnlyKeys(cluster.nodeId(0), cluster.nodeId(1), cluster.nodeId(2));
            assertThat(result.totals().values()).containsOnly(1500);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("registered globally as 'visits'", "b found 'visits' on c", "a reads the total: 1500");
    }
}
