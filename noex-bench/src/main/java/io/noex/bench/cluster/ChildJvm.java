package io.noex.bench.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server JVM as a child process: same {@code java} binary, same class path, the driver's JVM
 * options (less recording and agent options), running {@link BenchServer}. Its stderr goes to the
 * driver's; its stdout is read for the ready line and the command acknowledgements.
 *
 * <p>{@link #close} kills it (and waits); a shutdown hook does the same if the driver is stopped
 * with Ctrl-C, and the child ends on its own when its stdin closes (the driver died).
 *
 * <p>Threading: one thread (the driver's main thread) uses it; the hook may run concurrently with
 * nothing else.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final Thread hook;
    private final String readyLine;

    private ChildJvm(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        this.hook = new Thread(this::kill, "cluster-bench-child-killer");
        Runtime.getRuntime().addShutdownHook(hook);
        this.readyLine = awaitReady();
    }

    /**
     * Starts {@code mainClass} in a new JVM and waits for its ready line.
     *
     * @param mainClass the class to run
     * @param extraJvmArgs appended after the inherited options
     * @return the running child
     */
    static ChildJvm start(Class<?> mainClass, List<String> extraJvmArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow(
                () -> new IllegalStateException("cannot tell which java binary runs this JVM")));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!isPrivateToTheDriver(a)) {
                cmd.add(a);
            }
        }
        cmd.addAll(extraJvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            return new ChildJvm(p);
        } catch (RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** Recording, profiling and debugging options apply to the driver only (one file, one port). */
    private static boolean isPrivateToTheDriver(String jvmArg) {
        return jvmArg.startsWith("-XX:StartFlightRecording") || jvmArg.startsWith("-XX:FlightRecorderOptions")
                || jvmArg.startsWith("-agentlib") || jvmArg.startsWith("-agentpath") || jvmArg.startsWith("-javaagent")
                || jvmArg.startsWith("-Xrunjdwp") || jvmArg.startsWith("-Dnoex.bench");
    }

    private String awaitReady() {
        try {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(BenchServer.READY)) {
                    return line;
                }
                System.err.println("[server] " + line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("the server JVM exited before it was ready (exit code "
                + waitExit() + "); its stderr is above");
    }

    private int waitExit() {
        try {
            return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * @param key a field of the ready line, e.g. {@code node}
     * @return its value
     */
    String ready(String key) {
        for (String field : readyLine.split(" ")) {
            if (field.startsWith(key + "=")) {
                return field.substring(key.length() + 1);
            }
        }
        throw new IllegalStateException("no " + key + "= in the server's ready line: " + readyLine);
    }

    /** @return the child's process id */
    long pid() {
        return process.pid();
    }

    /** Sends a command line and waits for its {@code ok}. */
    void command(String line) {
        in.println(line);
        try {
            String answer = out.readLine();
            if (!"ok".equals(answer)) {
                throw new IllegalStateException("the server answered " + answer + " to " + line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void kill() {
        if (!process.isAlive()) {
            return;
        }
        in.close(); // the child halts on end of input; destroy in case it is stuck
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the child and waits until it is gone. */
    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs (and finds the child gone)
        }
    }
}
