package io.noex.distribution;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Mutual TLS between the nodes of a cluster ({@link ClusterConfig.Builder#tls(TlsConfig)}): every
 * connection, dialed or accepted, first completes a TLS handshake in which both nodes present a
 * certificate and check the other's against the trusted CA certificates; only then does the noex
 * handshake (and, with a cluster secret, its HMAC proof and frame signatures) run inside TLS. A
 * peer whose certificate is missing, not signed by a trusted CA, expired or not yet valid is
 * refused and counted as {@code untrusted_certificate}; a peer that does not speak TLS as
 * {@code tls_failed}. Every node of a cluster must use TLS, or none.
 *
 * <p>This node's identity comes from PEM files or from a key store, and the trusted CAs from a
 * PEM file or a trust store; {@link Builder#build()} reads and checks them all at once and names
 * the setting and the file on any problem:
 * {@snippet :
 * TlsConfig tls = TlsConfig.builder()
 *         .certificateChain(Path.of("/etc/noex/node.crt"))      // this node's certificate, then intermediates
 *         .privateKey(Path.of("/etc/noex/node.key"))            // PKCS#8 PEM
 *         .trustedCertificates(Path.of("/etc/noex/ca.crt"))     // the cluster's CA
 *         .build();
 * TlsConfig fromStores = TlsConfig.builder()
 *         .keyStore(Path.of("/etc/noex/node.p12"), System.getenv("NOEX_KEYSTORE_PASSWORD"))
 *         .trustStore(Path.of("/etc/noex/truststore.p12"), System.getenv("NOEX_TRUSTSTORE_PASSWORD"))
 *         .build();
 * }
 *
 * <table class="striped">
 *   <caption>Settings</caption>
 *   <thead><tr><th>setting</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *     <tr><td>certificateChain</td><td>none</td><td>PEM file: this node's certificate first, then any
 *         intermediates; with privateKey, instead of keyStore</td></tr>
 *     <tr><td>privateKey</td><td>none</td><td>PEM file with this node's PKCS#8 private key
 *         ({@code BEGIN PRIVATE KEY} or {@code BEGIN ENCRYPTED PRIVATE KEY}); RSA, EC or EdDSA</td></tr>
 *     <tr><td>privateKeyPassword</td><td>none</td><td>decrypts an encrypted PEM key, or unlocks the key
 *         entry of keyStore when its password differs from the store's</td></tr>
 *     <tr><td>keyStore</td><td>none</td><td>PKCS#12 or JKS file holding exactly one private key with its
 *         certificate chain, and the store's password</td></tr>
 *     <tr><td>trustedCertificates</td><td>none</td><td>PEM file with the CA certificate(s) a peer's
 *         certificate must be signed by; instead of trustStore</td></tr>
 *     <tr><td>trustStore</td><td>none</td><td>PKCS#12 or JKS file whose trusted certificate entries are
 *         those CAs, and its password</td></tr>
 *     <tr><td>verifyHostname</td><td>false</td><td>when true, the certificate of a dialed node must also
 *         name the host in its NodeId (subject alternative name, DNS or IP)</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Any certificate the trusted CAs signed is accepted as a member, so use a CA dedicated to the
 * cluster. Certificates are read once, when the config is built; rotating them means restarting
 * the node with a new config. Immutable and thread-safe; the builder is not thread-safe.
 */
public final class TlsConfig {

    private final PrivateKey privateKey;
    private final List<X509Certificate> certificateChain;
    private final List<X509Certificate> trustedCertificates;
    private final boolean verifyHostname;
    private final String description;

    private TlsConfig(TlsFiles.Identity identity, List<X509Certificate> trusted, boolean verifyHostname, String description) {
        this.privateKey = identity.key();
        this.certificateChain = identity.chain();
        this.trustedCertificates = trusted;
        this.verifyHostname = verifyHostname;
        this.description = description;
    }

    /** @return a builder with nothing set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return this node's private key */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** @return this node's certificate, then any intermediates (unmodifiable) */
    public List<X509Certificate> certificateChain() {
        return certificateChain;
    }

    /** @return the CA certificates a peer's certificate must lead to (unmodifiable) */
    public List<X509Certificate> trustedCertificates() {
        return trustedCertificates;
    }

    /** @return whether a dialed node's certificate must name the host dialed */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    /** Names the files, never the key or a password. */
    @Override
    public String toString() {
        return "TlsConfig[" + description + ", subject=" + certificateChain.get(0).getSubjectX500Principal().getName()
                + ", trusted=" + trustedCertificates.size() + " CA(s), verifyHostname=" + verifyHostname + "]";
    }

    /** Builds a {@link TlsConfig}; not thread-safe. */
    public static final class Builder {
        private Path certificateChain;
        private Path privateKey;
        private String privateKeyPassword;
        private Path keyStore;
        private String keyStorePassword;
        private Path trustedCertificates;
        private Path trustStore;
        private String trustStorePassword;
        private boolean verifyHostname;

        private Builder() {
        }

        /**
         * @param file PEM file with this node's certificate first, then any intermediates
         * @return this builder
         */
        public Builder certificateChain(Path file) {
            this.certificateChain = file;
            return this;
        }

        /**
         * @param file PEM file with this node's PKCS#8 private key (encrypted or not)
         * @return this builder
         */
        public Builder privateKey(Path file) {
            this.privateKey = file;
            return this;
        }

        /**
         * @param password decrypts an encrypted PEM private key, or unlocks the key entry of the key
         *     store when it differs from the store's password; null for none. Default none.
         * @return this builder
         */
        public Builder privateKeyPassword(String password) {
            this.privateKeyPassword = password;
            return this;
        }

        /**
         * @param file PKCS#12 or JKS key store holding exactly one private key and its chain
         * @param password the store's password
         * @return this builder
         */
        public Builder keyStore(Path file, String password) {
            this.keyStore = file;
            this.keyStorePassword = password;
            return this;
        }

        /**
         * @param file PEM file with the CA certificate(s) that sign the cluster's node certificates
         * @return this builder
         */
        public Builder trustedCertificates(Path file) {
            this.trustedCertificates = file;
            return this;
        }

        /**
         * @param file PKCS#12 or JKS store whose trusted certificate entries are the cluster's CAs
         * @param password the store's password
         * @return this builder
         */
        public Builder trustStore(Path file, String password) {
            this.trustStore = file;
            this.trustStorePassword = password;
            return this;
        }

        /**
         * @param verify whether a dialed node's certificate must name the host in its NodeId. Default false.
         * @return this builder
         */
        public Builder verifyHostname(boolean verify) {
            this.verifyHostname = verify;
            return this;
        }

        /**
         * Reads and checks every file now.
         *
         * @return the config
         * @throws InvalidClusterConfigException naming the setting ({@code tls.privateKey}, ...), the
         *     file and the problem: missing, unreadable, of the wrong kind, a wrong password, a key
         *     that does not belong to the certificate, no trusted certificate
         */
        public TlsConfig build() {
            TlsFiles.Identity identity = identity();
            X509Certificate leaf = identity.chain().get(0);
            if (!TlsFiles.belongsTo(identity.key(), leaf)) {
                throw new InvalidClusterConfigException(privateKey != null ? "tls.privateKey" : "tls.keyStore",
                        privateKey != null ? privateKey : keyStore, "the private key does not belong to the certificate "
                                + leaf.getSubjectX500Principal().getName() + " (the first of the chain)");
            }
            List<X509Certificate> trusted = trusted();
            String description = (keyStore != null ? "keyStore=" + keyStore : "certificateChain=" + certificateChain
                    + ", privateKey=" + privateKey) + ", " + (trustStore != null ? "trustStore=" + trustStore
                    : "trustedCertificates=" + trustedCertificates);
            return new TlsConfig(identity, trusted, verifyHostname, description);
        }

        private TlsFiles.Identity identity() {
            boolean pem = certificateChain != null || privateKey != null;
            if (pem && keyStore != null) {
                throw new InvalidClusterConfigException("tls.keyStore", keyStore,
                        "set either keyStore or certificateChain and privateKey, not both");
            }
            if (keyStore != null) {
                if (keyStorePassword == null) {
                    throw new InvalidClusterConfigException("tls.keyStorePassword", null, "is required with keyStore");
                }
                return TlsFiles.keyStoreIdentity(keyStore, keyStorePassword, Optional.ofNullable(privateKeyPassword));
            }
            if (certificateChain == null) {
                throw new InvalidClusterConfigException("tls.certificateChain", null,
                        "is required (with privateKey), unless keyStore is set");
            }
            if (privateKey == null) {
                throw new InvalidClusterConfigException("tls.privateKey", null, "is required with certificateChain");
            }
            List<X509Certificate> chain = TlsFiles.certificates("tls.certificateChain", certificateChain);
            PrivateKey key = TlsFiles.pemPrivateKey("tls.privateKey", privateKey, Optional.ofNullable(privateKeyPassword));
            return new TlsFiles.Identity(key, chain);
        }

        private List<X509Certificate> trusted() {
            if (trustedCertificates != null && trustStore != null) {
                throw new InvalidClusterConfigException("tls.trustStore", trustStore,
                        "set either trustStore or trustedCertificates, not both");
            }
            if (trustStore != null) {
                if (trustStorePassword == null) {
                    throw new InvalidClusterConfigException("tls.trustStorePassword", null, "is required with trustStore");
                }
                return TlsFiles.trustStoreCertificates(trustStore, trustStorePassword);
            }
            if (trustedCertificates == null) {
                throw new InvalidClusterConfigException("tls.trustedCertificates", null,
                        "is required (the CA certificates peers must be signed by), unless trustStore is set");
            }
            return TlsFiles.certificates("tls.trustedCertificates", trustedCertificates);
        }
    }
}
