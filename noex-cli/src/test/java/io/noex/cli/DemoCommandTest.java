package io.noex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.cli.demo.ActResult;
import io.noex.cli.demo.DemoResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int noex(String... args) {
        CommandLine cli = NoexCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void demoLocal_playsTheLocalDemoAndExits0() {
        int code = noex("demo", "--local");

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("(a) ", "(e) ", "all 5 acts succeeded");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void demoHelp_describesTheActsAndExitCodes() {
        int code = noex("demo", "--help");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage: noex demo", "three JVMs on this machine form a cluster",
                "(1) a forms a cluster", "(6) b's JVM is killed with SIGKILL (kill -9)", "--local", "--jvm-option",
                "Exit codes:", "an act failed");
    }

    @Test
    void demoLocal_withAJvmOption_isAUsageError() {
        int code = noex("demo", "--local", "--jvm-option=-Xmx64m");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("noex demo: --jvm-option: the --local demo starts no JVM" + System.lineSeparator());
    }

    @Test
    void exitCode_whenAnActFailed_is1AndNamesTheAct() {
        DemoResult result = new DemoResult(List.of(
                new ActResult("a", "first", Optional.empty(), Duration.ZERO),
                new ActResult("b", "Crash and restart", Optional.of("no restart within 5000 ms"), Duration.ZERO)),
                Duration.ZERO);
        StringWriter failures = new StringWriter();

        int code = DemoCommand.exitCode(result, new PrintWriter(failures));

        assertThat(code).isEqualTo(1);
        assertThat(failures.toString()).contains("act (b) Crash and restart failed: no restart within 5000 ms");
    }
}
