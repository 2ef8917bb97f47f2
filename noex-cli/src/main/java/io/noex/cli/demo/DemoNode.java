package io.noex.cli.demo;

import io.noex.NodeId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One node of the cluster demo, seen from the demo: a child JVM running {@link DemoNodeMain},
 * started with this JVM's own {@code java} binary and class path. The demo sends it commands and
 * waits for their replies ({@link #request}); its events go to a queue the demo shares among its
 * nodes. Its stderr (the library's warnings, if any) and anything unexpected on its stdout are
 * kept, the last {@value #TAIL_LINES} lines, to explain a failure.
 *
 * <p>Killing: {@link #kill9()} sends SIGKILL (what {@code kill -9} sends); {@link #close()} asks the
 * node to leave the cluster and exit, and kills it if it has not within {@link #QUIT_TIMEOUT}
 * (a shutdown hook uses {@link #kill9()}: no waiting). A node whose demo dies without
 * any of these exits by itself when its stdin ends.
 *
 * <p>Threading: {@link #request} from one thread at a time (the demo's); two daemon threads read
 * the child's stdout and stderr.
 */
final class DemoNode implements AutoCloseable {

    /** Lines of a node's output kept for a failure report. */
    static final int TAIL_LINES = 30;

    /** How long a node may take to leave the cluster and exit when the demo ends. */
    static final Duration QUIT_TIMEOUT = Duration.ofSeconds(5);

    /** JVM options of a node: small, and quick to start (no C2 compiler, no perf data file). */
    static final List<String> JVM_OPTIONS =
            List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData");

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<DemoEvent> events;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final CompletableFuture<Long> hello = new CompletableFuture<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private final long launchedNanos = System.nanoTime();
    private volatile long helloNanos;
    private volatile NodeId nodeId;
    private int seq;

    private DemoNode(String name, Process process, BlockingQueue<DemoEvent> events) {
        this.name = name;
        this.process = process;
        this.stdin = process.outputWriter(StandardCharsets.UTF_8);
        this.events = events;
        Thread.ofPlatform().daemon().name("demo-node-" + name + "-out").start(() -> readStdout(process.getInputStream()));
        Thread.ofPlatform().daemon().name("demo-node-" + name + "-err").start(() -> readStderr(process.getErrorStream()));
    }

    /**
     * Starts a node JVM. It does not join a cluster until {@link #joinCluster}.
     *
     * @param name the node's name
     * @param events where its events go
     * @param extraOptions JVM options after {@link #JVM_OPTIONS}
     * @return the node, starting
     * @throws UncheckedIOException if the JVM cannot be started
     */
    static DemoNode launch(String name, BlockingQueue<DemoEvent> events, List<String> extraOptions) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (Runtime.version().feature() >= 23) {
            // msgpack-core and Netty use sun.misc.Unsafe, which JDK 23+ warns about on stderr.
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(JVM_OPTIONS);
        command.addAll(extraOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(DemoNodeMain.class.getName());
        try {
            return new DemoNode(name, new ProcessBuilder(command).start(), events);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a JVM for node " + name + " (" + command.get(0) + ")", e);
        }
    }

    /** @return the node's name */
    String name() {
        return name;
    }

    /** @return the JVM's process id */
    long pid() {
        return process.pid();
    }

    /** @return the node's NodeId, once it joined */
    NodeId nodeId() {
        if (nodeId == null) {
            throw new IllegalStateException("node " + name + " has not joined a cluster");
        }
        return nodeId;
    }

    /**
     * Waits for the JVM to report that it is up.
     *
     * @param timeout how long to wait
     * @return how long the JVM took to start
     * @throws DemoFailure if it did not come up in time, or exited
     */
    Duration awaitHello(Duration timeout) throws InterruptedException {
        try {
            hello.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw failure("its JVM did not start within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            awaitExit(Duration.ofSeconds(2)); // its stdout ends a moment before the process
            throw failure("its JVM ended before it was up" + (process.isAlive() ? "" : " (exit code " + process.exitValue() + ")")
                    + lastLine().map(l -> ": " + l).orElse(""));
        }
        return Duration.ofNanos(helloNanos - launchedNanos);
    }

    /**
     * Joins (or forms) the cluster: {@code Cluster.start} on 127.0.0.1 and a free port.
     *
     * @param seed the node to join through; null for none
     * @param timeout how long the node may take
     * @return its NodeId
     */
    NodeId joinCluster(NodeId seed, Duration timeout) throws InterruptedException {
        nodeId = NodeId.parse(request(timeout, "start", name, seed == null ? "-" : seed.toString()));
        return nodeId;
    }

    /**
     * Sends a command and waits for its reply.
     *
     * @param timeout how long to wait
     * @param verb the command ({@link DemoNodeCommands})
     * @param args its fields (no spaces within one)
     * @return the reply's payload
     * @throws DemoFailure if the command failed on the node, or no reply came in time
     */
    String request(Duration timeout, String verb, String... args) throws InterruptedException {
        Reply r = ask(timeout, verb, args);
        if (!r.ok()) {
            throw failure(verb + " failed: " + r.text());
        }
        return r.text();
    }

    /**
     * Sends a command whose failure is expected, and returns it.
     *
     * @return the failure's text ({@code Exception: message})
     * @throws DemoFailure if the command succeeded, or no reply came in time
     */
    String requestFailure(Duration timeout, String verb, String... args) throws InterruptedException {
        Reply r = ask(timeout, verb, args);
        if (r.ok()) {
            throw failure(verb + " should have failed, but replied " + r.text());
        }
        return r.text();
    }

    private record Reply(boolean ok, String text) {
    }

    private Reply ask(Duration timeout, String verb, String... args) throws InterruptedException {
        String id = String.valueOf(++seq);
        StringBuilder line = new StringBuilder(id).append(' ').append(verb);
        for (String a : args) {
            line.append(' ').append(a);
        }
        try {
            stdin.write(line.append('\n').toString());
            stdin.flush();
        } catch (IOException e) {
            throw failure("cannot send '" + verb + "': its JVM is gone");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (;;) {
            String reply = replies.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (reply == null) {
                throw failure("no reply to '" + verb + "' within " + timeout.toMillis() + " ms"
                        + (process.isAlive() ? "" : " (its JVM exited with " + process.exitValue() + ")"));
            }
            List<String> f = DemoWire.fields(reply, 3);
            if (f.size() >= 2 && f.get(1).equals(id)) {
                return new Reply(f.get(0).equals(DemoWire.OK), f.size() > 2 ? f.get(2) : "");
            }
            // a late reply to a command that timed out earlier: not ours
        }
    }

    /** Kills the JVM with SIGKILL, as {@code kill -9} does: no shutdown hook, no goodbye to peers. */
    void kill9() {
        process.destroyForcibly();
    }

    /**
     * Waits for the JVM to be gone.
     *
     * @return true if it exited within the timeout
     */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return the JVM's exit code; only once it has exited */
    int exitCode() {
        return process.exitValue();
    }

    /** @return true while the JVM runs */
    boolean isAlive() {
        return process.isAlive();
    }

    /** Asks the node to leave the cluster and exit; kills it if it has not within {@link #QUIT_TIMEOUT}. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            if (nodeId != null) {
                ask(QUIT_TIMEOUT, "quit");
            }
            if (!awaitExit(QUIT_TIMEOUT)) {
                process.destroyForcibly().waitFor(QUIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (DemoFailure e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** @return the last line of the node's stderr or unexpected stdout, if any */
    Optional<String> lastLine() {
        synchronized (tail) {
            return Optional.ofNullable(tail.peekLast());
        }
    }

    /** @return the last lines of the node's stderr and unexpected stdout, for a failure report */
    String outputTail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    /** @return a failure of this node, naming it */
    DemoFailure failure(String what) {
        return new DemoFailure("node " + name + ": " + what);
    }

    private void readStdout(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                List<String> f = DemoWire.fields(line, 2);
                switch (f.get(0)) {
                    case DemoWire.HELLO -> {
                        helloNanos = System.nanoTime();
                        hello.complete(process.pid());
                    }
                    case DemoWire.OK, DemoWire.ERR -> replies.add(line);
                    case DemoWire.EVENT -> {
                        List<String> e = f.size() > 1 ? DemoWire.fields(f.get(1), -1) : List.of("?");
                        events.add(new DemoEvent(name, e.get(0), e.subList(1, e.size()), System.nanoTime()));
                    }
                    default -> keep(line); // not the protocol: a JVM error, say
                }
            }
        } catch (IOException e) {
            keep("stdout unreadable: " + e);
        } finally {
            hello.completeExceptionally(new IllegalStateException("exited"));
            events.add(new DemoEvent(name, "exited", List.of(), System.nanoTime()));
        }
    }

    private void readStderr(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                keep(line);
            }
        } catch (IOException e) {
            keep("stderr unreadable: " + e);
        }
    }

    private void keep(String line) {
        synchronized (tail) {
            tail.addLast(line);
            while (tail.size() > TAIL_LINES) {
                tail.removeFirst();
            }
        }
    }

    @Override
    public String toString() {
        return "node " + name + " (pid " + process.pid() + (nodeId != null ? ", " + nodeId : "") + ")";
    }
}
