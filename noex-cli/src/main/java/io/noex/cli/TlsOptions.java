package io.noex.cli;

import io.noex.cli.cluster.CliFailure;
import io.noex.cli.cluster.ClusterNode;
import io.noex.distribution.TlsConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The TLS options shared by {@code noex node} and {@code noex status}: PEM files, as SECURITY.md
 * describes. All three files or none: half a TLS setup is a usage error, not a plaintext node.
 */
final class TlsOptions {

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "this node's certificate chain (PEM); with --tls-key and --tls-ca, the node "
                    + "speaks TLS (mutual) to every peer, and every node of the cluster must")
    Path certificateChain;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "this node's private key (PKCS#8 PEM)")
    Path privateKey;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "the CA certificates that sign the cluster's nodes (PEM)")
    Path trustedCertificates;

    @Option(names = "--tls-key-password", paramLabel = "PASSWORD", defaultValue = "${env:NOEX_TLS_KEY_PASSWORD}",
            description = "the password of an encrypted --tls-key (default: $NOEX_TLS_KEY_PASSWORD, which "
                    + "keeps it out of the process list)")
    String keyPassword;

    /**
     * @return the TLS settings, if any option was given
     * @throws CliFailure a usage error naming the option for a missing or bad file
     */
    Optional<TlsConfig> config() {
        if (certificateChain == null && privateKey == null && trustedCertificates == null) {
            return Optional.empty();
        }
        if (certificateChain == null || privateKey == null || trustedCertificates == null) {
            throw CliFailure.usage("--tls-cert, --tls-key and --tls-ca go together: missing "
                    + String.join(" and ", missing()));
        }
        TlsConfig.Builder b = TlsConfig.builder().certificateChain(certificateChain).privateKey(privateKey)
                .trustedCertificates(trustedCertificates);
        if (keyPassword != null) {
            b.privateKeyPassword(keyPassword);
        }
        return Optional.of(ClusterNode.tls(b));
    }

    private List<String> missing() {
        List<String> out = new ArrayList<>(3);
        if (certificateChain == null) {
            out.add("--tls-cert");
        }
        if (privateKey == null) {
            out.add("--tls-key");
        }
        if (trustedCertificates == null) {
            out.add("--tls-ca");
        }
        return out;
    }
}
