package io.noex.cli.cluster;

import io.noex.NoexException;
import io.noex.distribution.InvalidClusterConfigException;
import java.net.BindException;
import java.util.Map;

/**
 * Turns what {@code ClusterConfig.build()} and {@code Cluster.start} throw into the one line the
 * {@code noex} command prints: the option to fix (not the builder's field name), or, for a port
 * that cannot be bound, what to do about it.
 */
final class StartErrors {

    /** ClusterConfig fields and the options of {@code noex node} and {@code noex status} that set them. */
    private static final Map<String, String> OPTION_OF_FIELD = Map.ofEntries(
            Map.entry("nodeName", "--name"),
            Map.entry("host", "--host"),
            Map.entry("advertisedHost", "--advertised-host"),
            Map.entry("port", "--port"),
            Map.entry("seeds", "--seeds"),
            Map.entry("clusterSecret", "--secret"),
            Map.entry("heartbeatInterval", "--heartbeat-interval"),
            Map.entry("tls.certificateChain", "--tls-cert"),
            Map.entry("tls.privateKey", "--tls-key"),
            Map.entry("tls.privateKeyPassword", "--tls-key-password"),
            Map.entry("tls.trustedCertificates", "--tls-ca"));

    private StartErrors() {
    }

    /**
     * @param e a rejected setting
     * @return a usage error naming the option, e.g. {@code --seeds: invalid ClusterConfig.seeds = x: ...}
     */
    static CliFailure badOption(InvalidClusterConfigException e) {
        String option = OPTION_OF_FIELD.getOrDefault(e.field(), e.field());
        return CliFailure.usage(option + ": " + e.getMessage());
    }

    /**
     * @param e what {@code ClusterMembership.start} threw
     * @param host the address the node tried to listen on
     * @param port the port it tried
     * @return a runtime failure saying what to do
     */
    static CliFailure cannotStart(NoexException e, String host, int port) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException bind) {
                String why = String.valueOf(bind.getMessage());
                if (why.toLowerCase(java.util.Locale.ROOT).contains("in use")) {
                    return CliFailure.runtime("port " + port + " is in use; pick another with --port or use --port 0");
                }
                return CliFailure.runtime("cannot listen on " + host + ":" + port + " (" + why
                        + "); is --host an address of this machine?");
            }
        }
        return CliFailure.runtime("cannot start the node: " + e.getMessage());
    }
}
