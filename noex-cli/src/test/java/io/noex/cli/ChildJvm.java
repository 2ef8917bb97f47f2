package io.noex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The {@code noex} command in a JVM of its own: the running JVM's {@code java} binary, the test
 * class path, {@code io.noex.cli.NoexCli} and the given arguments. Its stdout and stderr are
 * collected line by line as they come. {@link #close()} ends it (SIGTERM, then a kill if it has
 * not exited within 10 s), so a test that fails half-way leaves no JVM behind.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();
    private final List<Thread> readers = new ArrayList<>();

    private ChildJvm(Process process) {
        this.process = process;
        readers.add(Thread.ofPlatform().daemon().start(() -> pump(process.getInputStream(), out)));
        readers.add(Thread.ofPlatform().daemon().start(() -> pump(process.getErrorStream(), err)));
    }

    /**
     * @param args the {@code noex} command line
     * @return the started JVM
     */
    static ChildJvm noex(String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // as bin/noex does
        }
        command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), NoexCli.class.getName()));
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command).start());
    }

    /**
     * @param regex a pattern a whole stdout line must match
     * @param within how long to wait for it
     * @return the first matching line's matcher
     */
    Matcher awaitOut(String regex, Duration within) {
        Pattern p = Pattern.compile(regex);
        try {
            return Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(20))
                    .until(() -> find(p), Optional::isPresent).orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no stdout line matched /" + regex + "/ within " + within + "\nstdout:\n"
                    + String.join("\n", out) + "\nstderr:\n" + String.join("\n", err) + "\nalive: " + process.isAlive());
        }
    }

    private Optional<Matcher> find(Pattern p) {
        for (String line : out) {
            Matcher m = p.matcher(line);
            if (m.matches()) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** Sends SIGTERM and waits for the exit and the last of the output. @return the exit code */
    int terminate(Duration within) throws InterruptedException {
        // Through the handle: Process.destroy() also closes the pipes, losing the last output.
        process.toHandle().destroy();
        return awaitExit(within);
    }

    /** Waits for the JVM to exit by itself and for the last of its output. @return the exit code */
    int awaitExit(Duration within) throws InterruptedException {
        assertThat(process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)).as("the child JVM exited").isTrue();
        for (Thread r : readers) {
            r.join(within.toMillis());
        }
        return process.exitValue();
    }

    /** @return the processes this JVM started that are still running (the demo's node JVMs, say) */
    List<ProcessHandle> descendants() {
        return process.descendants().toList();
    }

    /** Sends a signal by name ({@code INT} is what Ctrl-C sends), with the {@code kill} command. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill -" + name + " finished").isTrue();
        assertThat(kill.exitValue()).as("kill -" + name + " exit code").isZero();
    }

    /** Kills the JVM with SIGKILL: no shutdown hook runs. */
    void kill9() {
        process.destroyForcibly();
    }

    List<String> out() {
        return List.copyOf(out);
    }

    List<String> err() {
        return List.copyOf(err);
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.toHandle().destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(InputStream in, List<String> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
