package io.noex.distribution;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.stream.Stream;

/**
 * The host-name resolver of this module's test JVM: {@code localhost} and this machine's own name
 * are resolved as usual, every other name fails at once with {@link UnknownHostException}, so no
 * test asks a name server. IP literals never reach a resolver. This matters for the fuzz tests: a
 * mutated NodeId in a frame makes the node under test dial its host, and the fuzz corpus only
 * names hosts under {@code .invalid} (RFC 6761), whose mutations are host names, never IP
 * literals; refused here, they cannot reach the network. Registered in
 * {@code META-INF/services/java.net.spi.InetAddressResolverProvider}.
 *
 * <p>Threading: thread-safe (stateless but for the built-in resolver).
 */
public final class OfflineResolver extends InetAddressResolverProvider {

    /** Creates the provider (the service loader calls this). */
    public OfflineResolver() {
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        String localName = configuration.lookupLocalHostName();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (host.equalsIgnoreCase("localhost") || host.equalsIgnoreCase(localName)) {
                    return builtin.lookupByName(host, policy);
                }
                throw new UnknownHostException(host + " (tests resolve no names but localhost)");
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return builtin.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "noex-tests-offline";
    }
}
