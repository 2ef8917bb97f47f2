package io.noex.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@code noex demo} end to end, in a JVM of its own, as {@code bin/noex demo} runs it: it starts
 * three node JVMs, plays its six acts and exits with 0; its node JVMs never outlive it, whether it
 * ends normally, fails, is interrupted (Ctrl-C) or is killed.
 */
@DisabledOnOs(OS.WINDOWS) // signals
class ClusterDemoTest {

    /** Generous: the demo itself takes 4-20 s, and this machine may be busy with other builds. */
    private static final Duration RUN = Duration.ofSeconds(100);
    private static final Duration NODES_UP = Duration.ofSeconds(60);
    private static final Duration GONE = Duration.ofSeconds(15);

    @Test
    @Timeout(150)
    void demo_playsEveryActAcrossThreeJvms_exits0_andLeavesNoJvmBehind() throws Exception {
        try (ChildJvm demo = ChildJvm.noex("demo")) {
            demo.awaitOut(" +[\\d.]+s  full mesh: every node is connected to the other two, .*", NODES_UP);
            List<ProcessHandle> nodes = demo.descendants();
            assertThat(nodes).as("the node JVMs").hasSize(3);

            int code = demo.awaitExit(RUN);

            String out = String.join("\n", demo.out());
            assertThat(code).as(out + "\n" + String.join("\n", demo.err())).isZero();
            assertThat(demo.err()).as("stderr").isEmpty();
            assertThat(out).contains(
                    "(1) Three JVMs find each other by gossip",
                    "<- gossip: neither node was given the other as a seed",
                    "a: RemoteSpawn.spawn(\"counter\", b) -> ",
                    "c: GenServer.call(counter, new Counter.Get()) -> 15",
                    "c: GlobalRegistry.register(\"greeter\", echo)",
                    "a: GlobalRegistry.whereis(\"greeter\") -> ",
                    "[a] monitor fired: ",
                    "exited, reason normal",
                    "RemoteServerNotRunningException",
                    "a: DistributedSupervisor.start(...)",
                    "SIGKILL (kill -9) to b's JVM",
                    "(connection_closed)",
                    "moved from b to",
                    "Summary ---");
            assertThat(out).containsPattern("\\[a\\] node down  b@127\\.0\\.0\\.1:\\d+ \\(connection_closed\\)");
            assertThat(out).containsPattern("\\[c\\] node up    a@127\\.0\\.0\\.1:\\d+  <- gossip");
            assertThat(out).containsPattern("\\(6\\) +kill -9 of b: its workers move to a and c +ok");
            Matcher total = Pattern.compile("  all 6 acts succeeded in ([\\d.]+) s").matcher(out);
            assertThat(total.find()).as("the summary's last line").isTrue();
            assertThat(Double.parseDouble(total.group(1))).as("seconds the demo took").isLessThan(60);
            System.out.println("NOEX-MEASURE noex demo took " + total.group(1) + " s; its figures:\n"
                    + out.substring(out.indexOf("Measured in this run")));

            await().atMost(GONE).until(() -> nodes.stream().noneMatch(ProcessHandle::isAlive));
        }
    }

    @Test
    @Timeout(120)
    void demo_whenNodeJvmsCannotStart_exits1NamingTheAct() throws Exception {
        try (ChildJvm demo = ChildJvm.noex("demo", "--jvm-option=-Xmx1k")) {
            int code = demo.awaitExit(RUN);

            assertThat(code).isEqualTo(1);
            assertThat(demo.err()).containsExactly("noex demo: act (1) Three JVMs find each other by gossip failed: "
                    + "node a: its JVM ended before it was up (exit code 1): Too small maximum heap");
            assertThat(String.join("\n", demo.out()))
                    .containsPattern("\\(2\\) +Spawn on b by behavior name; a and c call it +skipped")
                    .contains("1 of 6 acts FAILED, 5 skipped");
        }
    }

    @Test
    @Timeout(120)
    void demo_interruptedByCtrlC_killsItsNodeJvms() throws Exception {
        try (ChildJvm demo = ChildJvm.noex("demo")) {
            demo.awaitOut(" +[\\d.]+s  JVM of node c is up: .*", NODES_UP);
            List<ProcessHandle> nodes = demo.descendants();
            assertThat(nodes).hasSize(3);

            demo.signal("INT");

            assertThat(demo.awaitExit(GONE)).isEqualTo(130); // 128 + SIGINT, after the shutdown hooks
            await().atMost(GONE).until(() -> nodes.stream().noneMatch(ProcessHandle::isAlive));
        }
    }

    @Test
    @Timeout(120)
    void demo_killedWithSigkill_leavesNodeJvmsThatExitByThemselves() throws Exception {
        try (ChildJvm demo = ChildJvm.noex("demo")) {
            demo.awaitOut(" +[\\d.]+s  full mesh: every node is connected to the other two, .*", NODES_UP);
            List<ProcessHandle> nodes = demo.descendants();
            assertThat(nodes).hasSize(3);

            demo.kill9(); // no shutdown hook runs: the nodes see their stdin end

            await().atMost(GONE).until(() -> nodes.stream().noneMatch(ProcessHandle::isAlive));
        }
    }
}
