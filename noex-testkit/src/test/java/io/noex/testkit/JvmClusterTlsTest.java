package io.noex.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.noex.CallResult;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.StartOptions;
import io.noex.distribution.ClusterMembership;
import io.noex.distribution.InvalidClusterConfigException;
import io.noex.distribution.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS across JVMs: two nodes with certificates from the cluster's CA, each in its own
 * process, connect and call each other; a third with a certificate from another CA is refused and
 * counted by the node it tries to join. The certificates are made by the test, in a temporary
 * directory.
 */
@Timeout(120)
class JvmClusterTlsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final JvmCluster cluster = JvmCluster.create();

    @TempDir
    Path dir;

    /** Runs an echo server named "echo"; answers "call NODE" by calling the echo on NODE, and "rejected REASON". */
    public static final class Echo implements JvmNodeSetup {

        public Echo() {
        }

        @Override
        public void beforeStart(Node node) {
            node.start(new GenServerBehavior<Integer>() {
                @Override
                public Integer init(List<Object> args) {
                    return 0;
                }

                @Override
                public CallResult<Integer> handleCall(Object msg, Integer s) {
                    return CallResult.reply("echo from " + ClusterMembership.of(node).localNodeId() + ": " + msg, s);
                }

                @Override
                public Integer handleCast(Object msg, Integer s) {
                    return s;
                }
            }, StartOptions.builder().name("echo").build());
        }

        @Override
        public String command(Node node, String command) {
            String[] words = command.split(" ", 2);
            return switch (words[0]) {
                case "call" -> node.call(new GenServerRef("echo", NodeId.parse(words[1])), "hello over TLS");
                case "rejected" -> String.valueOf(ClusterMembership.of(node).metrics().orElseThrow()
                        .rejectedConnections().get(words[1]));
                default -> throw new IllegalArgumentException("no such command: " + command);
            };
        }
    }

    private JvmNodeOptions options(TestCertificates.Issued issued, String prefix) {
        TestCertificates.PemFiles f = issued.writePem(dir, prefix);
        return JvmNodeOptions.builder().setup(Echo.class).heartbeatInterval(Duration.ofMillis(300))
                .reconnectBaseDelay(Duration.ofMillis(200)).reconnectMaxDelay(Duration.ofSeconds(1))
                .tls(f.certificateChain(), f.privateKey(), f.trustedCertificates()).build();
    }

    @Test
    void twoJvmsWithCertificatesFromOneCa_connectAndCall_andOneFromAnotherCaIsRefused() {
        TestCertificates.Authority ca = TestCertificates.authority("cluster CA");
        JvmNode a = cluster.start("a", options(ca.issue("a"), "a"));
        JvmNode b = cluster.start("b", options(ca.issue("b"), "b").toBuilder().seeds(a.nodeId()).build());
        a.awaitEvent(NodeEvent.up(b.nodeId()), WAIT);
        b.awaitEvent(NodeEvent.up(a.nodeId()), WAIT);

        assertThat(b.command("call " + a.nodeId())).isEqualTo("echo from " + a.nodeId() + ": hello over TLS");
        assertThat(a.command("call " + b.nodeId())).isEqualTo("echo from " + b.nodeId() + ": hello over TLS");

        // The intruder trusts the cluster's CA, so that only its own certificate stands in its way.
        TestCertificates.PemFiles fx = TestCertificates.authority("other CA").issue("x").writePem(dir, "x");
        JvmNode x = cluster.start("x", options(ca.issue("unused"), "unused").toBuilder().seeds(a.nodeId())
                .tls(fx.certificateChain(), fx.privateKey(), dir.resolve("a-ca.crt")).build());
        await().atMost(WAIT).until(() -> Long.parseLong(a.command("rejected untrusted_certificate")) >= 1);
        assertThat(a.connectedNodes()).containsExactly(b.nodeId());
        assertThat(x.connectedNodes()).isEmpty();
        assertThat(a.command("rejected tls_failed")).isEqualTo("0");
    }

    @Test
    void aMissingCertificateFile_isRefusedBeforeAnyJvmStarts() {
        assertThatThrownBy(() -> JvmNodeOptions.builder()
                .tls(dir.resolve("nope.crt"), dir.resolve("nope.key"), dir.resolve("ca.crt")).build())
                .isInstanceOfSatisfying(InvalidClusterConfigException.class,
                        e -> assertThat(e.getMessage()).contains("tls.certificateChain", "no such file"));
        assertThat(cluster.nodes()).isEmpty();
    }
}
