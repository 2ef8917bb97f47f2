package io.noex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.NodeId;
import io.noex.distribution.testing.TestCertificates;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code noex node} and {@code noex status} with {@code --tls-cert}, {@code --tls-key} and
 * {@code --tls-ca}: a TLS node in a JVM of its own, seen by a TLS probe and refused to a plaintext
 * one; and half a TLS setup refused as bad usage.
 */
@Timeout(90)
class TlsCommandsTest {

    private static final Duration STARTUP = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void aTlsNode_isSeenByATlsStatus_andRefusesAPlaintextOne() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("cli test CA");
        TestCertificates.PemFiles node = ca.issue("a").writePem(dir, "a");
        TestCertificates.PemFiles probe = ca.issue("probe").writePem(dir, "probe");
        try (ChildJvm a = ChildJvm.noex("node", "--name", "a", "--host", "127.0.0.1", "--port", "0",
                "--heartbeat-interval", "200ms", "--tls-cert", node.certificateChain().toString(),
                "--tls-key", node.privateKey().toString(), "--tls-ca", node.trustedCertificates().toString())) {
            Matcher up = a.awaitOut("noex node (a@127\\.0\\.0\\.1:\\d+) is up \\(pid \\d+\\).*", STARTUP);
            NodeId aId = NodeId.parse(up.group(1));

            int code = ClusterCommandsTest.noex(out, err, "status", "--seed", aId.toString(), "--timeout", "10s",
                    "--tls-cert", probe.certificateChain().toString(), "--tls-key", probe.privateKey().toString(),
                    "--tls-ca", probe.trustedCertificates().toString());
            assertThat(code).as(out + "\n" + err).isZero();
            assertThat(out.toString()).containsPattern("(?m)^" + Pattern.quote(aId.toString()) + " +connected ");

            StringWriter plainOut = new StringWriter();
            StringWriter plainErr = new StringWriter();
            int plain = ClusterCommandsTest.noex(plainOut, plainErr, "status", "--seed", aId.toString(), "--timeout", "3s");
            assertThat(plain).as(plainOut + "\n" + plainErr).isEqualTo(1);
            assertThat(plainErr.toString()).startsWith("noex status: cannot ");
        }
    }

    @Test
    void halfATlsSetup_isBadUsage_namingWhatIsMissing() throws Exception {
        TestCertificates.PemFiles node = TestCertificates.authority("cli test CA").issue("a").writePem(dir, "a");

        int code = ClusterCommandsTest.noex(out, err, "node", "--name", "a", "--port", "0",
                "--tls-cert", node.certificateChain().toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith(
                "noex node: --tls-cert, --tls-key and --tls-ca go together: missing --tls-key and --tls-ca");
    }

    @Test
    void aMissingFile_isBadUsage_namingTheOptionAndTheFile() {
        Path nowhere = dir.resolve("nowhere.key");
        TestCertificates.PemFiles node = TestCertificates.authority("cli test CA").issue("a").writePem(dir, "a");

        int code = ClusterCommandsTest.noex(out, err, "status", "--seed", "a@127.0.0.1:4369",
                "--tls-cert", node.certificateChain().toString(), "--tls-key", nowhere.toString(),
                "--tls-ca", node.trustedCertificates().toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("noex status: --tls-key: ").contains(nowhere.toString());
    }
}
