package io.noex.distribution.transport;

import io.netty.handler.ssl.NotSslRecordException;
import io.noex.distribution.transport.ProtocolViolationException.Reason;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Turns what a failed TLS handshake threw into the reason it is counted under and a message an
 * operator can act on. Three cases matter: this node did not trust the peer's certificate
 * ({@link Reason#UNTRUSTED_CERTIFICATE}); the peer refused this node, or does not speak TLS
 * ({@link Reason#TLS_FAILED}); or the connection simply closed during the TLS handshake (a
 * duplicate dial abandoned, a node stopping, a port scanner), which is not a violation, like an
 * early close of a plaintext connection.
 *
 * <p>Threading: stateless.
 */
final class TlsFailures {

    private TlsFailures() {
    }

    /**
     * @param thrown what the TLS handshake failed with (unwrapped from Netty's decoder exception)
     * @param peer the peer, as it can be named (NodeId when dialed, else its address)
     * @return the violation, or empty when the connection merely closed
     */
    static Optional<ProtocolViolationException> classify(Throwable thrown, String peer) {
        if (thrown instanceof NotSslRecordException) {
            return Optional.of(new ProtocolViolationException(Reason.TLS_FAILED,
                    peer + " does not speak TLS (a node without TLS, or not a noex node)"));
        }
        Optional<Throwable> certificateProblem = find(thrown);
        if (certificateProblem.isPresent()) {
            return Optional.of(new ProtocolViolationException(Reason.UNTRUSTED_CERTIFICATE,
                    "the certificate of " + peer + " is not trusted: " + explain(certificateProblem.get())));
        }
        String message = String.valueOf(thrown.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("received fatal alert")) {
            return Optional.of(new ProtocolViolationException(Reason.TLS_FAILED, peer + " refused the TLS handshake ("
                    + message + "): does it trust the CA of this node's certificate, and is the certificate valid?"));
        }
        if (lower.contains("empty") && lower.contains("certificate")) {
            // A JDK peer offers only a certificate issued by one of the CAs this node named in its
            // request; none at all means it has no certificate from a CA this node trusts.
            return Optional.of(new ProtocolViolationException(Reason.UNTRUSTED_CERTIFICATE,
                    peer + " presented no certificate signed by a CA this node trusts (" + message + ")"));
        }
        if (thrown instanceof ClosedChannelException || lower.contains("closed")) {
            return Optional.empty();
        }
        if (thrown instanceof SSLException) {
            return Optional.of(new ProtocolViolationException(Reason.TLS_FAILED, "TLS handshake with " + peer
                    + " failed: " + message));
        }
        return Optional.empty();
    }

    /** The certificate check's own exception, if that is what failed, anywhere in the cause chain. */
    private static Optional<Throwable> find(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateException || t instanceof CertPathValidatorException) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The certificate check's verdict in words: an expiry is named as such, else the JDK's reason. */
    private static String explain(Throwable problem) {
        for (Throwable t = problem; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return "it has expired (" + t.getMessage() + ")";
            }
            if (t instanceof CertificateNotYetValidException) {
                return "it is not valid yet (" + t.getMessage() + ")";
            }
        }
        return problem.getMessage() == null ? problem.getClass().getSimpleName() : problem.getMessage();
    }
}
