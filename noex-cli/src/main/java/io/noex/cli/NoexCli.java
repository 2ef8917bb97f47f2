package io.noex.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code noex} command, as {@code bin/noex} runs it. Each subcommand is a class of its own,
 * listed in {@code subcommands} below; a new one ({@code node}, {@code status}) is added there.
 * Run without a subcommand, it prints its usage and exits 2.
 *
 * <p>Exit codes: 0 success; 1 the command ran and failed (it says why on stderr); 2 bad usage.
 */
@Command(name = "noex",
        mixinStandardHelpOptions = true,
        versionProvider = NoexCli.Version.class,
        subcommands = {DemoCommand.class, CommandLine.HelpCommand.class},
        description = {
            "Erlang/OTP's process model for the JVM: GenServers, supervisors, monitors, links",
            "and a registry, on virtual threads. This command runs the guided demo; starting",
            "cluster nodes and inspecting a cluster arrive with the distribution layers."},
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
        return new CommandLine(new NoexCli());
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing a command");
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
