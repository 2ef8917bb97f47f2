package io.noex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code noex example NAME} runs each example program to its end, over real TCP in this JVM. */
@Timeout(90)
class ExampleCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int noex(String... args) {
        picocli.CommandLine cli = NoexCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void counter_countsEveryIncrementOfEveryNode() {
        assertThat(noex("example", "counter")).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("a spawned a counter on c@127.0.0.1:", "registered globally as 'visits'",
                "a reads the total: 3000", "b reads the total: 3000", "c reads the total: 3000");
    }

    @Test
    void chat_showsTheConversationAndTheDeparture() {
        assertThat(noex("example", "chat")).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("[b] alice sees: * bob joined", "[c] bob sees: alice: hi bob, alice here, on node b",
                "[b] alice sees: * bob left (noconnection)");
    }

    @Test
    void workers_moveOffTheNodeThatLeaves() {
        assertThat(noex("example", "workers")).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("a: started a pool of 6 workers", "on c: worker-3, worker-6",
                "c: leaving the cluster", "supervisor: worker-3 moved from c to", "supervisor: worker-6 moved from c to");
    }

    @Test
    void anUnknownExample_isAUsageError_namingTheChoices() {
        assertThat(noex("example", "pong")).isEqualTo(2);
        assertThat(err.toString()).contains("noex example:", "expected one of [counter, chat, workers]", "'pong'");
    }
}
