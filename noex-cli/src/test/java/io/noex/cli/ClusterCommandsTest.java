package io.noex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.examples.Counter;
import io.noex.examples.Echo;
import io.noex.examples.ExampleBehaviors;
import io.noex.distribution.ClusterConfig;
import io.noex.distribution.ClusterMembership;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code noex node} in a JVM of its own, joined by a node in this JVM, and {@code noex status}
 * against them: the real command, over real TCP on 127.0.0.1.
 */
@Timeout(90)
class ClusterCommandsTest {

    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration EVENT = Duration.ofSeconds(10);

    @Test
    void node_isJoinedAcrossJvms_statusListsBothMembers_andSigtermLeavesGracefully() throws Exception {
        Node b = Node.create("b");
        try (ChildJvm a = ChildJvm.noex("node", "--name", "a", "--host", "127.0.0.1", "--port", "0",
                "--heartbeat-interval", "200ms")) {
            Matcher up = a.awaitOut("noex node (a@127\\.0\\.0\\.1:\\d+) is up \\(pid \\d+\\), hosting counter, echo, worker and chat-room", STARTUP);
            NodeId aId = NodeId.parse(up.group(1));
            a.awaitOut("  join it: +bin/noex node --name b --port 0 --seeds " + quote(aId), EVENT);

            ExampleBehaviors.registerAll(b);
            ExampleBehaviors.startServers(b);
            b.start(ExampleBehaviors.counter()); // 3 processes here, 2 there: status must tell them apart
            ClusterMembership bm = ClusterMembership.of(b);
            bm.start(ClusterConfig.builder().nodeName("b").host("127.0.0.1").port(0).seeds(aId.toString())
                    .heartbeatInterval(Duration.ofMillis(200)).build());
            NodeId bId = bm.localNodeId();
            a.awaitOut("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  node up    " + quote(bId), EVENT);

            // The example servers answer across JVMs, by their registered names.
            b.cast(new GenServerRef(ExampleBehaviors.COUNTER, aId), new Counter.Increment(2));
            assertThat((Integer) b.call(new GenServerRef(ExampleBehaviors.COUNTER, aId), new Counter.Get())).isEqualTo(2);
            Echo.Pong pong = b.call(new GenServerRef(ExampleBehaviors.ECHO, aId), new Echo.Ping("hi"));
            assertThat(pong.node()).isEqualTo(aId);

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = noex(out, err, "status", "--seed", aId.toString(), "--timeout", "10s");

            assertThat(code).as(out + "\n" + err).isZero();
            assertThat(err.toString()).isEmpty();
            assertThat(out.toString())
                    .startsWith("2 members, seen through " + aId + " by probe noex-status-")
                    .containsPattern("NODE +STATUS +PROCESSES +SUPERVISORS +MESSAGES +HEAP +UPTIME +LAST HEARTBEAT")
                    // Each member's own figures, from the ClusterObserver: processes, supervisors, messages handled, heap.
                    .containsPattern("(?m)^" + quote(aId) + " +connected +2 +0 +[1-9]\\d* +\\d+/\\d+ MiB +\\S+ +\\d+\\.\\ds ago$")
                    .containsPattern("(?m)^" + quote(bId) + " +connected +3 +0 +\\d+ +\\d+/\\d+ MiB +\\S+ +\\d+\\.\\ds ago$")
                    .doesNotContain("incomplete");
            a.awaitOut(".*  node up    noex-status-\\w+@127\\.0\\.0\\.1:\\d+  \\[a noex status probe\\]", EVENT);
            a.awaitOut(".*  node down  noex-status-\\w+@127\\.0\\.0\\.1:\\d+ \\(graceful_shutdown\\)  \\[a noex status probe\\]", EVENT);

            bm.stop();
            a.awaitOut(".*  node down  " + quote(bId) + " \\(graceful_shutdown\\)", EVENT);

            int exit = a.terminate(EVENT);
            assertThat(exit).as("SIGTERM: the JVM's exit code").isEqualTo(143);
            assertThat(a.out()).anyMatch(l -> l.endsWith("leaving the cluster (peers see graceful_shutdown)"))
                    .anyMatch(l -> l.endsWith(aId + " stopped"));
            assertThat(a.err()).as("stderr of noex node: no library or Netty noise").isEmpty();
        } finally {
            ClusterMembership.of(b).stop();
            b.close();
        }
    }

    @Test
    void node_whenThePortIsTaken_printsOneLineAndExits1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             ChildJvm a = ChildJvm.noex("node", "--name", "a", "--host", "127.0.0.1", "--port", "" + taken.getLocalPort())) {
            int exit = a.awaitExit(STARTUP);

            assertThat(exit).isEqualTo(1);
            assertThat(a.err()).containsExactly(
                    "noex node: port " + taken.getLocalPort() + " is in use; pick another with --port or use --port 0");
            assertThat(a.out()).isEmpty();
        }
    }

    static int noex(StringWriter out, StringWriter err, String... args) {
        var cli = NoexCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static String quote(Object o) {
        return java.util.regex.Pattern.quote(o.toString());
    }
}
