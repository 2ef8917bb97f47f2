package io.noex.cli;

import io.noex.cli.cluster.CliFailure;
import io.noex.examples.chat.ChatExample;
import io.noex.examples.counter.DistributedCounterExample;
import io.noex.examples.workers.WorkerPoolExample;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code noex example NAME}: runs one of the example programs of {@code noex-examples} (its
 * {@code main}), on three nodes in this JVM over real TCP on 127.0.0.1, and prints what it says.
 */
@Command(name = "example",
        mixinStandardHelpOptions = true,
        versionProvider = NoexCli.Version.class,
        description = {
            "Runs an example program of noex-examples.",
            "",
            "Each runs on three nodes, a, b and c, in this JVM, talking over real TCP on",
            "127.0.0.1 exactly as nodes in separate JVMs do, and prints what happens:",
            "  counter  one counter under a global name, updated from every node at once",
            "  chat     a chat room on a, members on b and c; c leaves and the room notices",
            "  workers  a worker pool under a DistributedSupervisor; c leaves and its",
            "           workers move to a and b",
            "The sources are in noex-examples/src/main/java/io/noex/examples/.",
            ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the example ran to its end",
            "1:it failed; stderr says why",
            "2:bad usage (an unknown example, say)"})
final class ExampleCommand implements Callable<Integer> {

    /** The examples, by the name given on the command line. */
    enum Example {
        counter, chat, workers
    }

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "counter, chat or workers")
    Example example;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (PrintStream lines = new PrintStream(new WriterOutputStream(out), true, StandardCharsets.UTF_8)) {
            switch (example) {
                case counter -> DistributedCounterExample.play(lines);
                case chat -> ChatExample.play(lines);
                case workers -> WorkerPoolExample.play(lines);
            }
        } catch (Exception e) {
            Throwable why = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw CliFailure.runtime("the " + example + " example failed: " + why);
        }
        return 0;
    }

    /**
     * The examples print to a {@link PrintStream}, the command to a {@link PrintWriter} (which
     * tests replace): bytes are decoded and passed on at each flush, so every line shows as it is
     * printed. Not thread-safe by itself; {@link PrintStream} serializes its writes.
     */
    private static final class WriterOutputStream extends OutputStream {
        private final PrintWriter out;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        WriterOutputStream(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public void flush() {
            out.write(pending.toString(StandardCharsets.UTF_8));
            out.flush();
            pending.reset();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
