package io.noex.cli;

import io.noex.cli.cluster.CliFailure;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code noex} command, as {@code bin/noex} runs it. Each subcommand is a class of its own,
 * listed in {@code subcommands} below. Run without a subcommand, it prints its usage and exits 2.
 *
 * <p>Exit codes: 0 success; 1 the command ran and failed (it says why on stderr); 2 bad usage.
 * A subcommand's user errors (a bad option, a {@link CliFailure}) are reported as one line on
 * stderr, {@code noex node: ...}, never with a stack trace; the usage is one {@code --help} away.
 */
@Command(name = "noex",
        mixinStandardHelpOptions = true,
        versionProvider = NoexCli.Version.class,
        subcommands = {NodeCommand.class, StatusCommand.class, DemoCommand.class, ExampleCommand.class, CommandLine.HelpCommand.class},
        description = {
            "Erlang/OTP's process model for the JVM: GenServers, supervisors, monitors, links",
            "and a registry, on virtual threads, and a cluster of JVMs over TCP. This command",
            "starts cluster nodes, inspects a cluster, runs the guided demo and the examples."},
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n",
        footer = "Run 'noex COMMAND --help' for what a command does.")
public final class NoexCli implements Runnable {

    @Spec
    private CommandSpec spec;

    /**
     * Runs the command and exits the JVM with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** @return the {@code noex} command line, ready to {@code execute}; tests set its out and err */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new NoexCli());
        cli.setParameterExceptionHandler(NoexCli::badUsage);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliFailure failure) {
                oneLine(cmd, failure.getMessage());
                return failure.exitCode();
            }
            throw e;
        });
        return cli;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing a command");
    }

    /**
     * A parse error: for a subcommand one line naming it and pointing to its help; for the bare
     * {@code noex}, the message and the usage (there is nothing else to point to).
     */
    private static int badUsage(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        if (cmd.getParent() == null) {
            PrintWriter err = cmd.getErr();
            err.println(e.getMessage());
            if (!UnmatchedArgumentException.printSuggestions(e, err)) {
                cmd.usage(err);
            }
        } else {
            oneLine(cmd, e.getMessage() + " (see 'noex " + cmd.getCommandName() + " --help')");
        }
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static void oneLine(CommandLine cmd, String text) {
        PrintWriter err = cmd.getErr();
        err.println("noex " + cmd.getCommandName() + ": " + text);
        err.flush();
    }

    /** The version, from the jar's manifest ({@code Implementation-Version}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = NoexCli.class.getPackage().getImplementationVersion();
            return new String[] {"noex " + (v != null ? v : "(development build)"),
                "Java ${java.version} (${java.vendor}), ${os.name} ${os.arch}"};
        }
    }
}
