package io.noex.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LocalDemoTest {

    @Test
    void run_playsEveryActAndSucceeds() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        DemoResult result = LocalDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(result.firstFailure()).as(out).isEmpty();
        assertThat(result.succeeded()).isTrue();
        assertThat(result.acts()).extracting(ActResult::key).containsExactly("a", "b", "c", "d", "e");
        assertThat(result.took()).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void run_narratesEachActAsItHappens() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        LocalDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains(
                "(a) A supervisor and two workers", "call Get on counter -> 7",
                "(b) A worker crashes", "supervisor restarted flaky", "call JobsDone on the new flaky -> 0",
                "(c) A monitor fires", "ServerCrashedException", "java.lang.ArithmeticException: / by zero",
                "Down with reason noproc",
                "(d) Links", "died through its link to a, with the same reason", "received Exit(from",
                "(e) Too many restarts", "reached its maximum restart intensity (2 restarts within 5000 ms)",
                "Summary", "all 5 acts succeeded");
        // Every step line starts with the elapsed time: "   0.012s  ...".
        assertThat(out.lines().filter(l -> l.matches("^ +\\d+\\.\\d{3}s  .*"))).hasSizeGreaterThan(25);
    }

    @Test
    void run_restoresTheLoggersItSilenced() {
        Logger crashReports = (Logger) LoggerFactory.getLogger("io.noex.CrashReport");
        Level before = crashReports.getLevel();

        LocalDemo.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(crashReports.getLevel()).isEqualTo(before);
    }
}
