package io.noex.cli;

import io.noex.InvalidNodeIdException;
import io.noex.NodeId;
import io.noex.cli.cluster.CliFailure;
import io.noex.cli.cluster.MemberTable;
import io.noex.cli.cluster.StatusProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code noex status}: runs a {@link StatusProbe} and prints its snapshot as a {@link MemberTable}. */
@Command(name = "status",
        mixinStandardHelpOptions = true,
        versionProvider = NoexCli.Version.class,
        sortOptions = false,
        description = {
            "Prints the members of a cluster.",
            "",
            "One line per node: its NodeId, status, its own counts of processes, supervisors",
            "and messages handled, its heap (used/max), uptime and the age of its latest",
            "heartbeat.",
            "",
            "How: status joins the cluster briefly as a probe node (named",
            "noex-status-<random>, on a free port), learns every member through the seed by",
            "gossip, waits for a heartbeat from each, asks each for its figures (the",
            "ClusterObserver's snapshot), prints what it saw and leaves",
            "gracefully. The nodes see the probe come and go, as they would any node.",
            ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the members were printed",
            "1:no member could be reached within the timeout; stderr says so",
            "2:bad usage (a bad seed, say)"})
final class StatusCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--seed", required = true, paramLabel = "NAME@HOST:PORT",
            description = "a member to ask, as bin/noex node printed it")
    String seed;

    @Option(names = "--secret", paramLabel = "SECRET", defaultValue = "${env:NOEX_SECRET}",
            description = "the cluster secret, if it has one (default: $NOEX_SECRET; none if unset)")
    String secret;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "how long to wait for the seed and the members' heartbeats (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Mixin
    TlsOptions tls = new TlsOptions();

    @Override
    public Integer call() {
        NodeId seedId;
        try {
            seedId = NodeId.parse(seed);
        } catch (InvalidNodeIdException e) {
            throw CliFailure.usage("--seed: " + e.getMessage());
        }
        if (timeout.isZero()) {
            throw CliFailure.usage("--timeout: must be more than 0");
        }
        StatusProbe.Snapshot s;
        LibraryWarnings quiet = LibraryWarnings.hidden();
        try {
            s = StatusProbe.run(seedId, Optional.ofNullable(secret), tls.config(), timeout, Clock.systemUTC());
        } finally {
            quiet.close();
        }
        MemberTable.print(s, spec.commandLine().getOut());
        return 0;
    }
}
