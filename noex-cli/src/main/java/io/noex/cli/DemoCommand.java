package io.noex.cli;

import io.noex.cli.demo.ActResult;
import io.noex.cli.demo.ClusterDemo;
import io.noex.cli.demo.DemoResult;
import io.noex.cli.demo.LocalDemo;
import io.noex.cli.cluster.CliFailure;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noex demo}: plays {@link ClusterDemo} (three node JVMs on this machine), or with
 * {@code --local} the {@link LocalDemo} (the local runtime in this JVM), and turns its result
 * into an exit code.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = NoexCli.Version.class,
        sortOptions = false,
        description = {
            "Plays a guided demo: three JVMs on this machine form a cluster.",
            "",
            "Starts three nodes, a, b and c, each a JVM of its own on 127.0.0.1 (free ports),",
            "and narrates what happens as it happens, each step stamped with the time since",
            "the start:",
            "  (1) a forms a cluster; b joins through a, c through b only; c and a find each",
            "      other by gossip",
            "  (2) a spawns a counter on b by behavior name; a and c cast to it and call it",
            "  (3) c registers a global name; a and b resolve it and call the process",
            "  (4) a monitors b's counter; b stops it; a's monitor fires",
            "  (5) a DistributedSupervisor on a places six workers on a, b and c",
            "  (6) b's JVM is killed with SIGKILL (kill -9); a and c see it go and b's",
            "      workers start again on a and c; the time it took is shown",
            "then a summary table and the figures measured. Takes a few seconds (well under",
            "a minute); every wait has a deadline. Every node JVM is ended when the demo",
            "ends, also on failure and on Ctrl-C.",
            ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every act succeeded",
            "1:an act failed; stderr names it and says why",
            "2:bad usage"})
final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--local",
            description = "play the walk-through of the local runtime in this JVM instead (supervisors, "
                    + "crashes and restarts, monitors, links, restart intensity; about a second)")
    boolean local;

    @Option(names = "--jvm-option", paramLabel = "OPTION",
            description = "an option for each node's JVM, after the demo's own (a small heap, quick "
                    + "start: the demo prints them); repeat it for more, e.g. --jvm-option=-Xmx512m")
    List<String> jvmOptions = List.of();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (local && !jvmOptions.isEmpty()) {
            throw CliFailure.usage("--jvm-option: the --local demo starts no JVM");
        }
        DemoResult result = local ? LocalDemo.run(out) : ClusterDemo.run(out, jvmOptions);
        return exitCode(result, spec.commandLine().getErr());
    }

    /**
     * @param result how the demo went
     * @param err where a failure is reported
     * @return 0 if every act succeeded; otherwise 1, after naming the first failed act on {@code err}
     */
    static int exitCode(DemoResult result, PrintWriter err) {
        Optional<ActResult> failed = result.firstFailure();
        if (failed.isEmpty()) {
            return 0;
        }
        err.println("noex demo: act " + failed.get().label() + " failed: " + failed.get().failure().orElseThrow());
        err.flush();
        return 1;
    }
}
