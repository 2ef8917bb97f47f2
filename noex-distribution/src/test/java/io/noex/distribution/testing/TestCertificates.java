package io.noex.distribution.testing;

import io.noex.distribution.TlsConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;

/**
 * Throwaway certificate authorities and node certificates for TLS tests, made at test time with
 * the JDK alone (no private key is ever committed). A certificate is written out field by field in
 * DER (X.509 v3: version, serial, ECDSA-SHA256, issuer and subject common names, validity, P-256
 * public key, and the extensions a TLS stack looks at) and signed with the issuer's key; the
 * result is parsed back by the JDK's own {@link CertificateFactory}, which is the check that the
 * encoding is right.
 *
 * <p>Used by the tests of this module and, through its test jar, by noex-testkit's multi-JVM test; it
 * lives in a package of its own because io.noex.distribution belongs to the module, which tests of
 * other modules cannot patch.
 */
public final class TestCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String EC_WITH_SHA256 = "1.2.840.10045.4.3.2";

    private TestCertificates() {
    }

    /** A CA: its key pair and self-signed certificate. */
    public record Authority(String name, KeyPair keys, X509Certificate certificate) {

        /** @return a certificate for {@code subject}, valid from an hour ago for a day, naming 127.0.0.1 and localhost */
        public Issued issue(String subject) {
            Instant now = Instant.now();
            return issue(subject, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), List.of("127.0.0.1", "localhost"));
        }

        /**
         * @param subject the subject's common name
         * @param notBefore start of validity
         * @param notAfter end of validity
         * @param altNames subject alternative names: IP addresses (digits and dots) or DNS names
         * @return a node certificate signed by this CA, for TLS server and client use
         */
        public Issued issue(String subject, Instant notBefore, Instant notAfter, List<String> altNames) {
            KeyPair pair = ecKeyPair();
            byte[] extensions = seq(
                    extension("2.5.29.19", true, seq()),                                  // basicConstraints: not a CA
                    extension("2.5.29.15", true, bitString(new byte[] {(byte) 0x80}, 7)), // keyUsage: digitalSignature
                    extension("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1"), oid("1.3.6.1.5.5.7.3.2"))),
                    extension("2.5.29.17", false, subjectAltNames(altNames)));
            X509Certificate cert = sign(name, keys.getPrivate(), subject, pair, notBefore, notAfter, extensions);
            return new Issued(pair.getPrivate(), List.of(cert, certificate), this);
        }
    }

    /** A node's key and chain (its certificate, then its CA's). */
    public record Issued(PrivateKey key, List<X509Certificate> chain, Authority authority) {

        /**
         * Writes {@code <prefix>.crt} (the chain), {@code <prefix>.key} (unencrypted PKCS#8) and
         * {@code <prefix>-ca.crt} (the CA, to trust) into {@code dir}.
         *
         * @return the three files
         */
        public PemFiles writePem(Path dir, String prefix) {
            PemFiles files = new PemFiles(dir.resolve(prefix + ".crt"), dir.resolve(prefix + ".key"), dir.resolve(prefix + "-ca.crt"));
            writeCertificates(files.certificateChain(), chain.toArray(X509Certificate[]::new));
            writePrivateKey(files.privateKey(), key);
            writeCertificates(files.trustedCertificates(), authority.certificate());
            return files;
        }

        /** @return a TLS config from PEM files written into {@code dir} */
        public TlsConfig pemConfig(Path dir, String prefix) {
            PemFiles f = writePem(dir, prefix);
            return TlsConfig.builder().certificateChain(f.certificateChain()).privateKey(f.privateKey())
                    .trustedCertificates(f.trustedCertificates()).build();
        }
    }

    /** The three PEM files of a node. */
    public record PemFiles(Path certificateChain, Path privateKey, Path trustedCertificates) {
    }

    /** @return a new CA with a self-signed certificate valid from a day ago for ten days */
    public static Authority authority(String name) {
        KeyPair pair = ecKeyPair();
        Instant now = Instant.now();
        byte[] extensions = seq(
                extension("2.5.29.19", true, seq(bool(true))),                          // basicConstraints: CA
                extension("2.5.29.15", true, bitString(new byte[] {(byte) 0x06}, 1)));  // keyCertSign, cRLSign
        X509Certificate cert = sign(name, pair.getPrivate(), name, pair, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(10)), extensions);
        return new Authority(name, pair, cert);
    }

    /** Writes certificates as PEM blocks. */
    public static void writeCertificates(Path file, X509Certificate... certificates) {
        StringBuilder out = new StringBuilder();
        try {
            for (X509Certificate c : certificates) {
                out.append(pem("CERTIFICATE", c.getEncoded()));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        write(file, out.toString());
    }

    /** Writes an unencrypted PKCS#8 PEM private key. */
    public static void writePrivateKey(Path file, PrivateKey key) {
        write(file, pem("PRIVATE KEY", key.getEncoded()));
    }

    /** Writes a PKCS#8 private key encrypted with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), as openssl does. */
    public static void writeEncryptedPrivateKey(Path file, PrivateKey key, String password) {
        try {
            String algorithm = "PBEWithHmacSHA256AndAES_256";
            byte[] salt = new byte[16];
            byte[] iv = new byte[16];
            RANDOM.nextBytes(salt);
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.ENCRYPT_MODE,
                    SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password.toCharArray())),
                    new PBEParameterSpec(salt, 10_000, new IvParameterSpec(iv)));
            byte[] encrypted = cipher.doFinal(key.getEncoded());
            // EncryptedPrivateKeyInfo wants the parameters under the scheme's name (PBES2), not the cipher's.
            AlgorithmParameters pbes2 = AlgorithmParameters.getInstance("PBES2");
            pbes2.init(cipher.getParameters().getEncoded());
            write(file, pem("ENCRYPTED PRIVATE KEY", new EncryptedPrivateKeyInfo(pbes2, encrypted).getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a key store of {@code type} (PKCS12 or JKS) holding one key entry. */
    public static void writeKeyStore(Path file, String type, String storePassword, String keyPassword, Issued issued) {
        try {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(null, null);
            ks.setKeyEntry("node", issued.key(), keyPassword.toCharArray(), issued.chain().toArray(X509Certificate[]::new));
            store(ks, file, storePassword);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a PKCS12 trust store holding the given certificates as trusted entries. */
    public static void writeTrustStore(Path file, String password, X509Certificate... trusted) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (int i = 0; i < trusted.length; i++) {
                ks.setCertificateEntry("ca" + i, trusted[i]);
            }
            store(ks, file, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void store(KeyStore ks, Path file, String password) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password.toCharArray());
        }
    }

    // ================================================================== certificate

    private static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(String issuer, PrivateKey issuerKey, String subject, KeyPair subjectKeys,
                                        Instant notBefore, Instant notAfter, byte[] extensions) {
        try {
            byte[] algorithm = seq(oid(EC_WITH_SHA256));
            byte[] tbs = seq(
                    explicit(0, integer(BigInteger.TWO)),                   // v3
                    integer(new BigInteger(64, RANDOM).add(BigInteger.ONE)),
                    algorithm,
                    name(issuer),
                    seq(time(notBefore), time(notAfter)),
                    name(subject),
                    subjectKeys.getPublic().getEncoded(),                    // SubjectPublicKeyInfo, already DER
                    explicit(3, extensions));
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(issuerKey);
            signer.update(tbs);
            byte[] der = seq(tbs, algorithm, bitString(signer.sign(), 0));
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the test certificate does not parse: " + e, e);
        }
    }

    private static byte[] name(String commonName) {
        return seq(set(seq(oid("2.5.4.3"), tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
    }

    private static byte[] subjectAltNames(List<String> names) {
        List<byte[]> out = new ArrayList<>();
        for (String n : names) {
            if (n.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
                try {
                    out.add(tlv(0x87, InetAddress.getByName(n).getAddress())); // [7] iPAddress
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException(n, e);
                }
            } else {
                out.add(tlv(0x82, n.getBytes(StandardCharsets.US_ASCII)));  // [2] dNSName
            }
        }
        return seq(out.toArray(byte[][]::new));
    }

    private static byte[] extension(String id, boolean critical, byte[] value) {
        return critical ? seq(oid(id), bool(true), tlv(0x04, value)) : seq(oid(id), tlv(0x04, value));
    }

    private static byte[] time(Instant t) {
        var utc = t.atZone(ZoneOffset.UTC);
        if (utc.getYear() >= 1950 && utc.getYear() < 2050) {
            return tlv(0x17, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").format(utc).getBytes(StandardCharsets.US_ASCII));
        }
        return tlv(0x18, DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").format(utc).getBytes(StandardCharsets.US_ASCII));
    }

    // ================================================================== DER

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            byte[] len = BigInteger.valueOf(n).toByteArray();
            int start = len[0] == 0 ? 1 : 0;
            out.write(0x80 | (len.length - start));
            out.write(len, start, len.length - start);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] explicit(int number, byte[] content) {
        return tlv(0xa0 | number, content);
    }

    private static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    private static byte[] bool(boolean value) {
        return tlv(0x01, new byte[] {(byte) (value ? 0xff : 0)});
    }

    private static byte[] bitString(byte[] bits, int unusedBits) {
        return tlv(0x03, concat(new byte[] {(byte) unusedBits}, bits));
    }

    private static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
        for (int i = 2; i < parts.length; i++) {
            long v = Long.parseLong(parts[i]);
            int groups = 1;
            for (long x = v >>> 7; x != 0; x >>>= 7) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                out.write((int) ((v >>> (7 * g)) & 0x7f) | (g == 0 ? 0 : 0x80));
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
