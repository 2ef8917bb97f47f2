package io.noex.cli;

import io.noex.cli.demo.ActResult;
import io.noex.cli.demo.DemoResult;
import io.noex.cli.demo.LocalDemo;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code noex demo}: plays {@link LocalDemo} and turns its result into an exit code. Today the
 * demo runs the local runtime in this JVM; the multi-JVM cluster demo (SPEC section 5) will take
 * its place when the distribution layers arrive.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = NoexCli.Version.class,
        description = {
            "Plays a guided walk-through of the local runtime.",
            "",
            "Narrates what happens as it happens, each step stamped with the time since the",
            "start:",
            "  (a) a ONE_FOR_ONE supervisor with two workers; cast and call",
            "  (b) a worker crashes; its supervisor restarts it (new ref, fresh state)",
            "  (c) a monitor fires with the real exit reason",
            "  (d) links spread a crash; a process trapping exits gets an Exit message",
            "  (e) a supervisor exceeds its restart intensity, gives up and exits",
            "then a summary table. Takes about a second; every wait has a 5 s deadline.",
            "",
            "The multi-JVM cluster demo arrives with the distribution layers."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every act succeeded",
            "1:an act failed; stderr names it and says why",
            "2:bad usage"})
final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        DemoResult result = LocalDemo.run(spec.commandLine().getOut());
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
