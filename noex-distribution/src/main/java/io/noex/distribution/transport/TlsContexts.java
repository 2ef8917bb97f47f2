package io.noex.distribution.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The Netty TLS contexts of mutual TLS between nodes, built from already loaded and checked key
 * material: the accepting side requires a client certificate ({@link ClientAuth#REQUIRE}), and
 * both sides check the peer's chain against the same trusted CAs (PKIX, which also checks the
 * validity period). The JDK provider is used: no native library to ship.
 *
 * <p>Hostname verification is off unless asked for: nodes are dialed by the host in their NodeId,
 * which is often an address, and the trust decision is "signed by the cluster's CA". Netty 4.2
 * turns it on for clients by default, so it is set explicitly either way.
 *
 * <p>Threading: stateless; the contexts it builds are thread-safe.
 */
public final class TlsContexts {

    private TlsContexts() {
    }

    /**
     * @param key this node's private key
     * @param chain this node's certificate first, then any intermediates
     * @param trusted the CA certificates a peer's chain must lead to
     * @return the context for accepted connections
     * @throws TransportException if the JDK refuses the material
     */
    public static SslContext server(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trusted) {
        try {
            return SslContextBuilder.forServer(key, chain)
                    .trustManager(trusted)
                    .clientAuth(ClientAuth.REQUIRE)
                    .sslProvider(SslProvider.JDK)
                    .build();
        } catch (SSLException | RuntimeException e) {
            throw new TransportException("cannot set up TLS for accepted connections: " + e.getMessage(), e);
        }
    }

    /**
     * @param key this node's private key
     * @param chain this node's certificate first, then any intermediates
     * @param trusted the CA certificates a peer's chain must lead to
     * @param verifyHostname whether the dialed peer's certificate must name the host dialed
     * @return the context for dialed connections
     * @throws TransportException if the JDK refuses the material
     */
    public static SslContext client(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trusted,
                                    boolean verifyHostname) {
        try {
            return SslContextBuilder.forClient()
                    .keyManager(key, chain)
                    .trustManager(trusted)
                    .endpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null)
                    .sslProvider(SslProvider.JDK)
                    .build();
        } catch (SSLException | RuntimeException e) {
            throw new TransportException("cannot set up TLS for dialed connections: " + e.getMessage(), e);
        }
    }
}
