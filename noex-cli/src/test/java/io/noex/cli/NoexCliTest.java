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
        assertThat(out.toString()).contains("Usage: noex", "Commands:", "demo", "Plays a guided walk-through");
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
