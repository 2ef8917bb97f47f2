package io.noex.cli;

import io.noex.cli.cluster.ClusterNode;
import io.noex.distribution.ClusterConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noex node}: starts a {@link ClusterNode} and runs until the JVM is told to stop
 * (SIGTERM, Ctrl-C), when a shutdown hook leaves the cluster gracefully.
 */
@Command(name = "node",
        mixinStandardHelpOptions = true,
        versionProvider = NoexCli.Version.class,
        sortOptions = false,
        description = {
            "Starts a cluster node that runs until killed.",
            "",
            "The node hosts the example behaviors 'counter', 'echo', 'worker' and",
            "'chat-room' (any node may spawn them here) and runs one counter and one echo",
            "server under those local names. It prints its NodeId and how to join it, then",
            "a line for each node that comes up or goes down.",
            "Ctrl-C or SIGTERM leave the cluster gracefully: the other nodes report",
            "graceful_shutdown.",
            "",
            "Three nodes in three terminals:",
            "  bin/noex node --name a --port 4369",
            "  bin/noex node --name b --port 4370 --seeds a@127.0.0.1:4369",
            "  bin/noex node --name c --port 4371 --seeds b@127.0.0.1:4370",
            "c joins through b and finds a by gossip.",
            ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped by a signal, after leaving the cluster",
            "1:the node could not start (a taken port, say); stderr says why",
            "2:bad usage (a bad name or seed, say)"})
final class NodeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "the node's name: a letter, then letters, digits, _ or -; at most 64")
    String name;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "the address to listen on (default: ${DEFAULT-VALUE}, this machine only); "
                    + "0.0.0.0 or a real address lets other machines join (then set --secret)")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + ClusterConfig.DEFAULT_PORT,
            description = "the port to listen on (default: ${DEFAULT-VALUE}); 0 picks a free one")
    int port;

    @Option(names = "--seeds", paramLabel = "NODE", split = ",",
            description = "nodes to join through, as name@host:port, separated by commas; they need not "
                    + "be up yet (they are retried); joining through one finds all")
    List<String> seeds = List.of();

    @Option(names = "--secret", paramLabel = "SECRET", defaultValue = "${env:NOEX_SECRET}",
            description = "the cluster secret, the same on every node: nodes prove it in the handshake and "
                    + "sign every frame with it (default: $NOEX_SECRET, which keeps it out of the "
                    + "process list; none if unset)")
    String secret;

    @Option(names = "--advertised-host", paramLabel = "HOST",
            description = "the host other nodes dial, if not the --host (behind NAT, say)")
    String advertisedHost;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", defaultValue = "1s",
            converter = DurationConverter.class,
            description = "how often peers are sent a heartbeat (default: ${DEFAULT-VALUE}); a node silent "
                    + "for 3 intervals is down")
    Duration heartbeatInterval;

    @Mixin
    TlsOptions tls = new TlsOptions();

    @Override
    public Integer call() throws InterruptedException {
        ClusterConfig.Builder b = ClusterConfig.builder().nodeName(name).host(host).port(port).seeds(seeds)
                .heartbeatInterval(heartbeatInterval);
        if (secret != null) {
            b.clusterSecret(secret);
        }
        if (advertisedHost != null) {
            b.advertisedHost(advertisedHost);
        }
        tls.config().ifPresent(b::tls);
        ClusterConfig config = ClusterNode.config(b);
        ClusterNode node = ClusterNode.start(config, spec.commandLine().getOut(), Clock.systemDefaultZone());
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "noex-node-shutdown"));
        new CountDownLatch(1).await(); // until the JVM exits; the hook leaves the cluster
        return 0;
    }
}
