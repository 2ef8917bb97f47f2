package io.noex.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.StartOptions;
import io.noex.distribution.RemoteCallTest.Echo;
import io.noex.distribution.RemoteCallTest.Server;
import io.noex.distribution.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS between nodes over real TCP: members with certificates from the cluster's CA connect
 * and call each other (with the cluster secret's HMAC on top); a certificate from another CA, an
 * expired one, one not naming the host (with hostname verification), and a node on the other side
 * of the TLS/plaintext divide are each refused, counted under a clear reason and logged, without a
 * hang.
 */
@Timeout(60)
class TlsClusterTest {

    private static final String TRANSPORT_LOG = "io.noex.distribution.transport.Transport";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static TestCertificates.Authority clusterCa;
    private static TestCertificates.Authority otherCa;

    @TempDir
    Path dir;

    private ClusterNodes cluster;
    private LogCapture log;

    @BeforeAll
    static void authorities() {
        clusterCa = TestCertificates.authority("noex cluster CA");
        otherCa = TestCertificates.authority("some other CA");
    }

    @BeforeEach
    void start() {
        cluster = new ClusterNodes(RemoteCallTest::registerTypes);
        log = new LogCapture(TRANSPORT_LOG);
    }

    @AfterEach
    void stop() {
        log.close();
        cluster.close();
    }

    private TlsConfig tls(TestCertificates.Issued issued, String prefix) {
        return issued.pemConfig(dir, prefix);
    }

    private static Consumer<ClusterConfig.Builder> with(TlsConfig tls) {
        return b -> b.tls(tls).reconnectBaseDelay(Duration.ofMillis(100)).reconnectMaxDelay(Duration.ofMillis(500));
    }

    private static long rejected(Node n, String reason) {
        return ClusterMembership.of(n).metrics().orElseThrow().rejectedConnections().getOrDefault(reason, 0L);
    }

    private static boolean connected(Node a, Node b) {
        return ClusterMembership.of(a).isNodeConnected(ClusterMembership.of(b).localNodeId());
    }

    private void awaitLogLine(String... parts) {
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains(parts)));
    }

    @Test
    void twoNodes_withCertificatesFromOneCa_connectAndCallEachOther_withTheSecretOnTop() {
        TlsConfig tlsA = tls(clusterCa.issue("a"), "a");
        TestCertificates.PemFiles b = clusterCa.issue("b").writePem(dir, "b");
        TlsConfig tlsB = TlsConfig.builder().certificateChain(b.certificateChain()).privateKey(b.privateKey())
                .trustedCertificates(b.trustedCertificates()).verifyHostname(true).build(); // the cert names 127.0.0.1
        Node a = cluster.start("a", with(tlsA).andThen(c -> c.clusterSecret("s3cret")));
        Node nodeB = cluster.start("b", with(tlsB).andThen(c -> c.clusterSecret("s3cret")), a);
        ClusterNodes.awaitMesh(a, nodeB);

        GenServerRef onA = a.start(new Server(), StartOptions.builder().name("server").build());
        GenServerRef onB = nodeB.start(new Server(), StartOptions.builder().name("server").build());

        assertThat((Object) nodeB.call(onA, new Echo(List.of("over", "tls")))).isEqualTo(List.of("over", "tls"));
        assertThat((Object) a.call(onB, new Echo(42))).isEqualTo(42);
        assertThat(ClusterMembership.of(a).metrics().orElseThrow().totalRejectedConnections()).isZero();
        assertThat(ClusterMembership.of(nodeB).metrics().orElseThrow().totalRejectedConnections()).isZero();
    }

    /** Runs a command in {@code dir}; skips the test when openssl is not installed. */
    private void run(String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            org.assertj.core.api.Assumptions.assumeThat(false).as(command[0] + " is not installed").isTrue();
            return;
        }
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }

    @Test
    void certificatesMadeWithTheOpensslCommandsOfSecurityMd_work() throws Exception {
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "365",
                "-subj", "/CN=noex cluster CA", "-keyout", "ca.key", "-out", "ca.crt");
        java.nio.file.Files.writeString(dir.resolve("ext.cnf"),
                "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
        List<Node> nodes = new java.util.ArrayList<>();
        for (String name : List.of("node1", "node2")) {
            run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=" + name,
                    "-keyout", name + ".key", "-out", name + ".csr");
            run("openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                    "-days", "90", "-extfile", "ext.cnf", "-out", name + ".crt");
            TlsConfig tls = TlsConfig.builder().certificateChain(dir.resolve(name + ".crt")).privateKey(dir.resolve(name + ".key"))
                    .trustedCertificates(dir.resolve("ca.crt")).verifyHostname(true).build();
            nodes.add(cluster.start(name, with(tls), nodes.toArray(Node[]::new)));
        }

        ClusterNodes.awaitMesh(nodes.get(0), nodes.get(1));
        GenServerRef onNode1 = nodes.get(0).start(new Server());
        assertThat((Object) nodes.get(1).call(onNode1, new Echo("openssl"))).isEqualTo("openssl");
    }

    @Test
    void aNodeWithACertificateFromAnotherCa_isRefused_andCountedAsUntrusted() {
        Node a = cluster.start("a", with(tls(clusterCa.issue("a"), "a")));
        // The intruder trusts the cluster's CA, so only its own certificate stands in its way.
        TestCertificates.PemFiles x = otherCa.issue("intruder").writePem(dir, "x");
        TlsConfig tlsX = TlsConfig.builder().certificateChain(x.certificateChain()).privateKey(x.privateKey())
                .trustedCertificates(dir.resolve("a-ca.crt")).build();
        Node intruder = cluster.start("intruder", with(tlsX), a);

        await().atMost(WAIT).until(() -> rejected(a, "untrusted_certificate") >= 2);
        assertThat(connected(a, intruder)).isFalse();
        assertThat(connected(intruder, a)).isFalse();
        assertThat(ClusterMembership.of(a).connectedNodes()).isEmpty();
        await().atMost(WAIT).until(() -> rejected(intruder, "tls_failed") >= 1); // it learns it was refused
        awaitLogLine("presented no certificate signed by a CA this node trusts", "UNTRUSTED_CERTIFICATE");
    }

    @Test
    void anExpiredCertificate_isRefused() {
        Node a = cluster.start("a", with(tls(clusterCa.issue("a"), "a")));
        Instant now = Instant.now();
        TestCertificates.Issued expired = clusterCa.issue("old", now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)),
                List.of("127.0.0.1"));
        Node old = cluster.start("old", with(tls(expired, "old")), a);

        await().atMost(WAIT).until(() -> rejected(a, "untrusted_certificate") >= 1);
        assertThat(connected(a, old)).isFalse();
        awaitLogLine("is not trusted: it has expired");
    }

    @Test
    void withHostnameVerification_aCertificateNotNamingTheDialedHost_isRefused() {
        TestCertificates.Issued elsewhere = clusterCa.issue("a", Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(1)), List.of("10.9.9.9", "a.example"));
        Node a = cluster.start("a", with(tls(elsewhere, "a")));
        TestCertificates.PemFiles b = clusterCa.issue("b").writePem(dir, "b");
        TlsConfig strict = TlsConfig.builder().certificateChain(b.certificateChain()).privateKey(b.privateKey())
                .trustedCertificates(b.trustedCertificates()).verifyHostname(true).build();
        Node nodeB = cluster.start("b", with(strict), a);

        await().atMost(WAIT).until(() -> rejected(nodeB, "untrusted_certificate") >= 1);
        assertThat(connected(nodeB, a)).isFalse();
        awaitLogLine("is not trusted", "127.0.0.1");
    }

    @Test
    void aPlaintextNode_cannotJoinATlsNode_andNeitherHangs() {
        Node secure = cluster.start("secure", with(tls(clusterCa.issue("secure"), "s")));
        Node plain = cluster.start("plain", c -> c.reconnectBaseDelay(Duration.ofMillis(100)).reconnectMaxDelay(Duration.ofMillis(500)),
                secure);

        await().atMost(WAIT).until(() -> rejected(secure, "tls_failed") >= 2);
        assertThat(connected(secure, plain)).isFalse();
        assertThat(connected(plain, secure)).isFalse();
        awaitLogLine("does not speak TLS");
    }

    @Test
    void aTlsNode_cannotJoinAPlaintextNode_andBothSaySo() {
        Node plain = cluster.start("plain", c -> { });
        Node secure = cluster.start("secure", with(tls(clusterCa.issue("secure"), "s")), plain);

        await().atMost(WAIT).until(() -> rejected(plain, "tls_failed") >= 1 && rejected(secure, "tls_failed") >= 1);
        assertThat(connected(secure, plain)).isFalse();
        awaitLogLine("the peer speaks TLS, but this node does not use TLS");
        awaitLogLine("does not speak TLS");
    }
}
