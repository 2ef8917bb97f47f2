package io.noex.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.noex.distribution.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Building a {@link TlsConfig}: each way the files can be wrong is a clear error naming the setting. */
@Timeout(60)
class TlsConfigTest {

    private static TestCertificates.Authority ca;
    private static TestCertificates.Issued node;

    @TempDir
    Path dir;

    @BeforeAll
    static void certificates() {
        ca = TestCertificates.authority("noex test CA");
        node = ca.issue("node-a");
    }

    private static void assertInvalid(Runnable build, String field, String... messageParts) {
        assertThatThrownBy(build::run).isInstanceOfSatisfying(InvalidClusterConfigException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains(messageParts);
        });
    }

    @Test
    void pemFiles_build_andExposeTheLoadedMaterial() {
        TestCertificates.PemFiles f = node.writePem(dir, "a");
        TlsConfig tls = TlsConfig.builder().certificateChain(f.certificateChain()).privateKey(f.privateKey())
                .trustedCertificates(f.trustedCertificates()).build();

        assertThat(tls.certificateChain()).containsExactlyElementsOf(node.chain());
        assertThat(tls.privateKey().getEncoded()).isEqualTo(node.key().getEncoded());
        assertThat(tls.trustedCertificates()).containsExactly(ca.certificate());
        assertThat(tls.verifyHostname()).isFalse();
        assertThat(tls.toString()).contains("CN=node-a", "a.key").doesNotContain("PRIVATE");
        ClusterConfig config = ClusterConfig.builder().nodeName("a").tls(tls).build();
        assertThat(config.tls()).contains(tls);
        assertThat(config.toString()).contains("tls=TlsConfig[");
        assertThat(ClusterConfig.builder().nodeName("a").build().tls()).isEmpty();
    }

    @Test
    void anEncryptedPemKey_needsItsPassword() {
        TestCertificates.PemFiles f = node.writePem(dir, "a");
        Path encrypted = dir.resolve("encrypted.key");
        TestCertificates.writeEncryptedPrivateKey(encrypted, node.key(), "s3cret");
        TlsConfig.Builder b = TlsConfig.builder().certificateChain(f.certificateChain()).privateKey(encrypted)
                .trustedCertificates(f.trustedCertificates());

        assertInvalid(b::build, "tls.privateKeyPassword", "is required", "encrypted private key");
        assertInvalid(b.privateKeyPassword("wrong")::build, "tls.privateKeyPassword", "wrong password");
        assertThat(b.privateKeyPassword("s3cret").build().privateKey().getEncoded()).isEqualTo(node.key().getEncoded());
    }

    @Test
    void aKeyEncryptedByOpenssl_isRead() throws Exception {
        TestCertificates.PemFiles f = node.writePem(dir, "a");
        Path encrypted = dir.resolve("openssl.key");
        Process p;
        try {
            p = new ProcessBuilder("openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", f.privateKey().toString(),
                    "-out", encrypted.toString(), "-passout", "pass:from-openssl").redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeThat(false).as("openssl is not installed").isTrue();
            return;
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assumeThat(p.exitValue()).as("openssl pkcs8 failed: " + new String(p.getInputStream().readAllBytes())).isZero();

        TlsConfig tls = TlsConfig.builder().certificateChain(f.certificateChain()).privateKey(encrypted)
                .privateKeyPassword("from-openssl").trustedCertificates(f.trustedCertificates()).build();

        assertThat(tls.privateKey().getEncoded()).isEqualTo(node.key().getEncoded());
    }

    @Test
    void keyStoreAndTrustStore_build_inPkcs12AndJks() {
        for (String type : new String[] {"PKCS12", "JKS"}) {
            Path ks = dir.resolve("node." + type);
            Path ts = dir.resolve("trust." + type);
            TestCertificates.writeKeyStore(ks, type, "store-pw", "store-pw", node);
            TestCertificates.writeTrustStore(ts, "trust-pw", ca.certificate());

            TlsConfig tls = TlsConfig.builder().keyStore(ks, "store-pw").trustStore(ts, "trust-pw").build();

            assertThat(tls.certificateChain()).containsExactlyElementsOf(node.chain());
            assertThat(tls.trustedCertificates()).containsExactly(ca.certificate());
        }
    }

    @Test
    void aKeyStoreKeyWithItsOwnPassword_needsPrivateKeyPassword() {
        Path ks = dir.resolve("node.jks");
        Path ts = dir.resolve("trust.p12");
        TestCertificates.writeKeyStore(ks, "JKS", "store-pw", "key-pw", node);
        TestCertificates.writeTrustStore(ts, "trust-pw", ca.certificate());
        TlsConfig.Builder b = TlsConfig.builder().keyStore(ks, "store-pw").trustStore(ts, "trust-pw");

        assertInvalid(b::build, "tls.keyStorePassword", "does not unlock the key 'node'", "privateKeyPassword");
        assertThat(b.privateKeyPassword("key-pw").build().certificateChain()).hasSize(2);
    }

    @Test
    void aWrongStorePassword_isNamed() {
        Path ks = dir.resolve("node.p12");
        Path ts = dir.resolve("trust.p12");
        TestCertificates.writeKeyStore(ks, "PKCS12", "store-pw", "store-pw", node);
        TestCertificates.writeTrustStore(ts, "trust-pw", ca.certificate());

        assertInvalid(() -> TlsConfig.builder().keyStore(ks, "nope").trustStore(ts, "trust-pw").build(),
                "tls.keyStorePassword", "wrong password");
        assertInvalid(() -> TlsConfig.builder().keyStore(ks, "store-pw").trustStore(ts, "nope").build(),
                "tls.trustStorePassword", "wrong password");
    }

    @Test
    void aTrustStoreWithoutTrustedCertificates_isRefused() {
        Path ks = dir.resolve("node.p12");
        TestCertificates.writeKeyStore(ks, "PKCS12", "pw", "pw", node);

        assertInvalid(() -> TlsConfig.builder().keyStore(ks, "pw").trustStore(ks, "pw").build(),
                "tls.trustStore", "holds no trusted certificate");
    }

    @Test
    void aMissingFile_isNamed() {
        TestCertificates.PemFiles f = node.writePem(dir, "a");
        Path missing = dir.resolve("missing.crt");

        assertInvalid(() -> TlsConfig.builder().certificateChain(missing).privateKey(f.privateKey())
                .trustedCertificates(f.trustedCertificates()).build(), "tls.certificateChain", "missing.crt", "no such file");
        assertInvalid(() -> TlsConfig.builder().certificateChain(f.certificateChain()).privateKey(f.privateKey())
                .trustedCertificates(missing).build(), "tls.trustedCertificates", "no such file");
        assertInvalid(() -> TlsConfig.builder().keyStore(missing, "pw").trustedCertificates(f.trustedCertificates()).build(),
                "tls.keyStore", "no such file");
        assertInvalid(() -> TlsConfig.builder().certificateChain(f.certificateChain()).privateKey(dir)
                .trustedCertificates(f.trustedCertificates()).build(), "tls.privateKey", "is a directory");
    }

    @Test
    void anUnreadableKeyFile_isNamed() throws IOException {
        TestCertificates.PemFiles f = node.writePem(dir, "a");
        Files.setPosixFilePermissions(f.privateKey(), PosixFilePermissions.fromString("---------"));
        assumeThat(Files.isReadable(f.privateKey())).as("running as root: permissions are not enforced").isFalse();

        assertInvalid(() -> TlsConfig.builder().certificateChain(f.certificateChain()).privateKey(f.privateKey())
                .trustedCertificates(f.trustedCertificates()).build(), "tls.privateKey", "permission denied");
    }

    @Test
    void filesOfTheWrongKind_areNamed() throws IOException {
        TestCertificates.PemFiles f = node.writePem(dir, "a");
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
        Path pkcs1 = Files.writeString(dir.resolve("rsa.key"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");

        assertInvalid(() -> TlsConfig.builder().certificateChain(junk).privateKey(f.privateKey())
                .trustedCertificates(f.trustedCertificates()).build(), "tls.certificateChain", "junk.pem");
        assertInvalid(() -> TlsConfig.builder().certificateChain(f.certificateChain()).privateKey(junk)
                .trustedCertificates(f.trustedCertificates()).build(), "tls.privateKey", "holds no PEM private key");
        assertInvalid(() -> TlsConfig.builder().certificateChain(f.certificateChain()).privateKey(pkcs1)
                .trustedCertificates(f.trustedCertificates()).build(), "tls.privateKey", "PKCS#8", "openssl pkcs8");
        assertInvalid(() -> TlsConfig.builder().certificateChain(f.certificateChain()).privateKey(f.privateKey())
                .trustedCertificates(f.privateKey()).build(), "tls.trustedCertificates", "a.key");
        assertInvalid(() -> TlsConfig.builder().keyStore(f.certificateChain(), "pw")
                .trustedCertificates(f.trustedCertificates()).build(), "tls.keyStore", "a.crt");
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificate_isRefused() {
        TestCertificates.PemFiles f = node.writePem(dir, "a");
        TestCertificates.PemFiles other = ca.issue("node-b").writePem(dir, "b");

        assertInvalid(() -> TlsConfig.builder().certificateChain(f.certificateChain()).privateKey(other.privateKey())
                .trustedCertificates(f.trustedCertificates()).build(), "tls.privateKey", "does not belong", "CN=node-a");
    }

    @Test
    void identityAndTrust_mustEachComeFromExactlyOneSource() {
        TestCertificates.PemFiles f = node.writePem(dir, "a");
        Path ks = dir.resolve("node.p12");
        TestCertificates.writeKeyStore(ks, "PKCS12", "pw", "pw", node);

        assertInvalid(() -> TlsConfig.builder().trustedCertificates(f.trustedCertificates()).build(),
                "tls.certificateChain", "is required");
        assertInvalid(() -> TlsConfig.builder().certificateChain(f.certificateChain())
                .trustedCertificates(f.trustedCertificates()).build(), "tls.privateKey", "is required");
        assertInvalid(() -> TlsConfig.builder().certificateChain(f.certificateChain()).privateKey(f.privateKey())
                .keyStore(ks, "pw").trustedCertificates(f.trustedCertificates()).build(), "tls.keyStore", "not both");
        assertInvalid(() -> TlsConfig.builder().keyStore(ks, null).trustedCertificates(f.trustedCertificates()).build(),
                "tls.keyStorePassword", "is required");
        assertInvalid(() -> TlsConfig.builder().certificateChain(f.certificateChain()).privateKey(f.privateKey()).build(),
                "tls.trustedCertificates", "is required");
        assertInvalid(() -> TlsConfig.builder().certificateChain(f.certificateChain()).privateKey(f.privateKey())
                .trustedCertificates(f.trustedCertificates()).trustStore(ks, "pw").build(), "tls.trustStore", "not both");
    }
}
