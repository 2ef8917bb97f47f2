package io.noex.distribution;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads the key material of {@link TlsConfig} from PEM files and key stores, with the JDK alone,
 * and turns every way it can be wrong into an {@link InvalidClusterConfigException} naming the
 * setting, the file and what to do: a missing or unreadable file, a file of the wrong kind, a
 * key in a format the JDK cannot read (PKCS#1 or SEC1 PEM: convert to PKCS#8), a wrong password,
 * a key that does not belong to the certificate.
 *
 * <p>Threading: stateless.
 */
final class TlsFiles {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private TlsFiles() {
    }

    /** The bytes of a file, or why it cannot be used. */
    static byte[] read(String field, Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new InvalidClusterConfigException(field, file, "is a directory, not a file");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidClusterConfigException(field, file, "no such file");
        } catch (AccessDeniedException e) {
            throw new InvalidClusterConfigException(field, file, "cannot be read (permission denied)");
        } catch (IOException e) {
            throw new InvalidClusterConfigException(field, file, "cannot be read: " + e);
        }
    }

    /** Every X.509 certificate of a PEM (one or more blocks) or DER file; at least one. */
    static List<X509Certificate> certificates(String field, Path file) {
        byte[] bytes = read(field, file);
        Collection<? extends Certificate> found;
        try {
            found = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
        } catch (CertificateException e) {
            throw new InvalidClusterConfigException(field, file, "is not a PEM or DER X.509 certificate file ("
                    + e.getMessage() + ")");
        }
        if (found.isEmpty()) {
            throw new InvalidClusterConfigException(field, file,
                    "holds no certificate (expected PEM blocks \"-----BEGIN CERTIFICATE-----\")");
        }
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : found) {
            out.add((X509Certificate) c);
        }
        return Collections.unmodifiableList(out);
    }

    /** The private key of a PKCS#8 PEM file, decrypted with {@code password} when encrypted. */
    static PrivateKey pemPrivateKey(String field, Path file, Optional<String> password) {
        String text = new String(read(field, file), StandardCharsets.US_ASCII);
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            String label = m.group(1);
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new InvalidClusterConfigException(field, file, "the PEM block " + label + " is not valid base64");
            }
            switch (label) {
                case "PRIVATE KEY" -> {
                    return pkcs8(field, file, der);
                }
                case "ENCRYPTED PRIVATE KEY" -> {
                    String pw = password.orElseThrow(() -> new InvalidClusterConfigException("tls.privateKeyPassword", null,
                            "is required: " + file + " holds an encrypted private key"));
                    return pkcs8(field, file, decrypt(file, der, pw));
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new InvalidClusterConfigException(field, file,
                        "holds a " + label + " (PKCS#1/SEC1), which the JDK cannot read; convert it to PKCS#8 with "
                                + "`openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName() + "`");
                default -> { } // a certificate or parameters block beside the key: look further
            }
        }
        throw new InvalidClusterConfigException(field, file,
                "holds no PEM private key (expected \"-----BEGIN PRIVATE KEY-----\" or \"-----BEGIN ENCRYPTED PRIVATE KEY-----\")");
    }

    private static PrivateKey pkcs8(String field, Path file, byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new InvalidClusterConfigException(field, file, "holds a private key the JDK cannot read (not "
                + String.join(", ", KEY_ALGORITHMS) + ")");
    }

    private static byte[] decrypt(Path file, byte[] der, String password) {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            // For PBES2 (what openssl writes) the cipher is named by the parameters, not the OID.
            String algorithm = info.getAlgParameters() != null ? info.getAlgParameters().toString() : info.getAlgName();
            if (algorithm == null || algorithm.isEmpty() || algorithm.startsWith("PBES2") || algorithm.startsWith("1.")) {
                algorithm = info.getAlgName();
            }
            SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password.toCharArray())),
                    info.getAlgParameters());
            return info.getKeySpec(cipher).getEncoded();
        } catch (java.security.spec.InvalidKeySpecException e) {
            throw new InvalidClusterConfigException("tls.privateKeyPassword", "***",
                    "does not decrypt the private key in " + file + " (wrong password)");
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidClusterConfigException("tls.privateKey", file, "holds an encrypted private key the JDK "
                    + "cannot decrypt (" + e.getMessage() + "); re-encrypt it with PBES2 and AES, or store it unencrypted");
        }
    }

    /** A key store (PKCS#12 or JKS, detected), opened with its password. */
    static KeyStore keyStore(String field, Path file, String password) {
        read(field, file); // the same clear errors for a missing or unreadable file
        try {
            return KeyStore.getInstance(file.toFile(), password.toCharArray());
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new InvalidClusterConfigException(field + "Password", "***", "does not open " + file + " (wrong password)");
            }
            throw new InvalidClusterConfigException(field, file, "cannot be read as a key store: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new InvalidClusterConfigException(field, file,
                    "is not a PKCS#12 or JKS key store (" + e.getMessage() + ")");
        }
    }

    /** This node's key and chain: the one private-key entry of a key store. */
    static Identity keyStoreIdentity(Path file, String storePassword, Optional<String> keyPassword) {
        KeyStore store = keyStore("tls.keyStore", file, storePassword);
        try {
            List<String> keys = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) && store.getCertificateChain(alias) != null) {
                    keys.add(alias);
                }
            }
            if (keys.size() != 1) {
                throw new InvalidClusterConfigException("tls.keyStore", file, "must hold exactly one private key with "
                        + "its certificate chain; it holds " + keys.size() + (keys.isEmpty() ? "" : " " + keys));
            }
            String alias = keys.get(0);
            PrivateKey key;
            try {
                key = (PrivateKey) store.getKey(alias, keyPassword.orElse(storePassword).toCharArray());
            } catch (UnrecoverableKeyException e) {
                throw new InvalidClusterConfigException(keyPassword.isPresent() ? "tls.privateKeyPassword" : "tls.keyStorePassword",
                        "***", "does not unlock the key '" + alias + "' in " + file + " (wrong password; set "
                                + "privateKeyPassword when the key's password differs from the store's)");
            }
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : store.getCertificateChain(alias)) {
                chain.add((X509Certificate) c);
            }
            return new Identity(key, Collections.unmodifiableList(chain));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new InvalidClusterConfigException("tls.keyStore", file, "cannot be read: " + e);
        }
    }

    /** The trusted certificate entries of a trust store; at least one. */
    static List<X509Certificate> trustStoreCertificates(Path file, String password) {
        KeyStore store = keyStore("tls.trustStore", file, password);
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias) && store.getCertificate(alias) instanceof X509Certificate c) {
                    out.add(c);
                }
            }
            if (out.isEmpty()) {
                throw new InvalidClusterConfigException("tls.trustStore", file, "holds no trusted certificate entry");
            }
            return Collections.unmodifiableList(out);
        } catch (GeneralSecurityException e) {
            throw new InvalidClusterConfigException("tls.trustStore", file, "cannot be read: " + e);
        }
    }

    /**
     * Proves that {@code key} belongs to {@code certificate} by signing with one and verifying
     * with the other; key types this cannot sign with are left to the TLS handshake.
     */
    static boolean belongsTo(PrivateKey key, X509Certificate certificate) {
        String algorithm;
        switch (key.getAlgorithm()) {
            case "RSA" -> algorithm = "SHA256withRSA";
            case "EC" -> algorithm = "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> algorithm = key.getAlgorithm();
            default -> {
                return true;
            }
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            PublicKey publicKey = certificate.getPublicKey();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** A private key and its certificate chain, this node's first. */
    record Identity(PrivateKey key, List<X509Certificate> chain) {
    }
}
