package io.noex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class NoexCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int noex(String... args) {
        CommandLine cli = NoexCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void help_listsTheCommands() {
        int code = noex("--help");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage: noex", "Commands:", "demo", "Plays a guided demo: three JVMs on this machine form a cluster.")
                .containsPattern("(?m)^  node +Starts a cluster node that runs until killed\\.$")
                .containsPattern("(?m)^  status +Prints the members of a cluster\\.$")
                .containsPattern("(?m)^  example +Runs an example program of noex-examples\\.$");
    }

    @Test
    void nodeHelp_showsTheOptionsTheThreeTerminalsRecipeAndExitCodes() {
        int code = noex("node", "--help");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage: noex node", "--name=NAME", "--host=HOST", "--port=PORT",
                "--seeds=NODE", "--secret=SECRET", "--heartbeat-interval=DURATION", "--advertised-host=HOST",
                "bin/noex node --name b --port 4370 --seeds a@127.0.0.1:4369", "Exit codes:");
    }

    @Test
    void statusHelp_saysItJoinsBrieflyAsAProbe() {
        int code = noex("status", "--help");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage: noex status", "--seed=NAME@HOST:PORT", "--timeout=DURATION",
                "(default: 5s)", "joins the cluster briefly as a probe node", "Exit codes:");
    }

    @Test
    void version_namesNoexAndTheJava() {
        int code = noex("--version");

        assertThat(code).isZero();
        assertThat(out.toString()).startsWith("noex ").contains("Java " + System.getProperty("java.version"));
    }

    @Test
    void noCommand_printsUsageAndExits2() {
        int code = noex();

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Missing a command", "Usage: noex");
    }

    @Test
    void unknownCommand_exits2() {
        int code = noex("fly");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("fly");
    }
}
