package io.noex.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.noex.Node;
import io.noex.distribution.ClusterMembership;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A {@link JvmNodeSetup} runs in the child JVM and answers commands; its failures are reported, not fatal. */
@Timeout(60)
class JvmNodeSetupTest {

    @RegisterExtension
    final JvmCluster cluster = JvmCluster.create();

    /** Records what ran where, and answers with facts only the child knows. */
    public static final class Probe implements JvmNodeSetup {
        private String phases = "";

        public Probe() {
        }

        @Override
        public void beforeStart(Node node) {
            phases += "before(" + ClusterMembership.of(node).status() + ")";
        }

        @Override
        public void afterStart(Node node, ClusterMembership cluster) {
            phases += "after(" + cluster.status() + ")";
        }

        @Override
        public String command(Node node, String command) {
            return switch (command) {
                case "phases" -> phases;
                case "pid" -> Long.toString(ProcessHandle.current().pid());
                case "two-lines" -> "one\ntwo";
                default -> throw new IllegalArgumentException("no such command: " + command);
            };
        }
    }

    @Test
    void setupRunsInTheChild_aroundStart_andAnswersCommands() {
        JvmNode a = cluster.start("a", JvmNodeOptions.builder().setup(Probe.class).build());

        assertThat(a.command("phases")).isEqualTo("before(STOPPED)after(RUNNING)");
        assertThat(a.command("pid")).isEqualTo(Long.toString(a.pid()));
        assertThat(a.command("two-lines")).isEqualTo("one two");
    }

    @Test
    void aCommandThatThrows_isReportedWithItsMessage_andTheNodeKeepsServing() {
        JvmNode a = cluster.start("a", JvmNodeOptions.builder().setup(Probe.class).build());

        assertThatThrownBy(() -> a.command("nonsense"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("IllegalArgumentException")
                .hasMessageContaining("no such command: nonsense");
        assertThat(a.command("phases")).startsWith("before");
        assertThat(a.isAlive()).isTrue();
    }

    @Test
    void aNodeWithoutSetup_refusesCommandsClearly() {
        JvmNode a = cluster.start("a");

        assertThatThrownBy(() -> a.command("anything", Duration.ofSeconds(10)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("understands no commands");
    }

    /** Not public, so the child could not create it. */
    static final class Hidden implements JvmNodeSetup {
    }

    @Test
    void aSetupTheChildCannotCreate_isRefusedBeforeAnyJvmStarts() {
        assertThatThrownBy(() -> JvmNodeOptions.builder().setup(Hidden.class).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Hidden");
        assertThat(cluster.nodes()).isEmpty();
    }

}
