package io.noex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What {@code noex node} and {@code noex status} say when the user asks for something that cannot
 * be: one line on stderr naming the option or the problem and what to do, no stack trace, and exit
 * code 2 for bad usage, 1 for a failure at run time. All in this JVM: none of these starts a node
 * that keeps running.
 */
@Timeout(30)
class UserErrorsTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int noex(String... args) {
        return ClusterCommandsTest.noex(out, err, args);
    }

    private String onlyErrLine() {
        assertThat(err.toString().lines()).as(err.toString()).hasSize(1);
        return err.toString().strip();
    }

    @Test
    void node_withABadSeed_namesTheOptionAndExits2() {
        int code = noex("node", "--name", "a", "--host", "127.0.0.1", "--port", "0", "--seeds", "b@127.0.0.1:4370,oops");

        assertThat(code).isEqualTo(2);
        assertThat(onlyErrLine()).startsWith("noex node: --seeds: invalid ClusterConfig.seeds = oops: each seed must be name@host:port");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void node_withABadName_namesTheRuleAndExits2() {
        int code = noex("node", "--name", "9lives", "--port", "0");

        assertThat(code).isEqualTo(2);
        assertThat(onlyErrLine()).startsWith("noex node: --name: invalid ClusterConfig.nodeName = 9lives:");
    }

    @Test
    void node_whenThePortIsTaken_saysWhatToDoAndExits1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int code = noex("node", "--name", "a", "--host", "127.0.0.1", "--port", "" + taken.getLocalPort());

            assertThat(code).isEqualTo(1);
            assertThat(onlyErrLine()).isEqualTo(
                    "noex node: port " + taken.getLocalPort() + " is in use; pick another with --port or use --port 0");
            assertThat(out.toString()).isEmpty();
        }
    }

    @Test
    void node_withoutAName_exits2WithOneLinePointingToHelp() {
        int code = noex("node", "--port", "0");

        assertThat(code).isEqualTo(2);
        assertThat(onlyErrLine()).isEqualTo("noex node: Missing required option: '--name=NAME' (see 'noex node --help')");
    }

    @Test
    void node_withABadDuration_exits2() {
        int code = noex("node", "--name", "a", "--heartbeat-interval", "soon");

        assertThat(code).isEqualTo(2);
        assertThat(onlyErrLine()).startsWith("noex node: ").contains("expected a duration such as 500ms, 5s or 1m, got 'soon'");
    }

    @Test
    void status_withABadSeed_exits2() {
        int code = noex("status", "--seed", "a@127.0.0.1");

        assertThat(code).isEqualTo(2);
        assertThat(onlyErrLine()).startsWith("noex status: --seed: ").contains("a@127.0.0.1");
    }

    @Test
    void status_whenTheSecretIsWrong_saysSoAtOnceAndExits1() {
        io.noex.Node s = io.noex.Node.create("s");
        io.noex.distribution.ClusterMembership m = io.noex.distribution.ClusterMembership.of(s);
        try {
            m.start(io.noex.distribution.ClusterConfig.builder().nodeName("s").host("127.0.0.1").port(0)
                    .clusterSecret("right").build());
            long start = System.nanoTime();

            int wrong = noex("status", "--seed", m.localNodeId().toString(), "--secret", "wrong", "--timeout", "20s");

            assertThat(wrong).isEqualTo(1);
            assertThat(onlyErrLine()).isEqualTo("noex status: cannot join " + m.localNodeId()
                    + ": it refused the cluster secret (or its cluster has none); pass the cluster's with --secret or NOEX_SECRET");
            assertThat(System.nanoTime() - start).as("no wait for the timeout").isLessThan(10_000_000_000L);
        } finally {
            m.stop();
            s.close();
        }
    }

    @Test
    void status_whenTheSeedIsUnreachable_saysSoWithinTheTimeoutAndExits1() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort(); // free once closed: nothing listens there
        }
        long start = System.nanoTime();

        int code = noex("status", "--seed", "x@127.0.0.1:" + port, "--timeout", "1s");

        assertThat(code).isEqualTo(1);
        assertThat(onlyErrLine()).isEqualTo(
                "noex status: cannot reach x@127.0.0.1:" + port + " within 1s: is it running? is --secret right?");
        assertThat(System.nanoTime() - start).as("gave up near the timeout").isLessThan(5_000_000_000L);
    }
}
