package io.noex.testkit;

import io.noex.NodeId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * One node running in its own JVM, started by {@link JvmCluster}: its NodeId, its process, the
 * membership events it reported, and the means to fail it ({@link #kill9()}, {@link #freeze()}) or
 * stop it ({@link #stopGracefully()}).
 * {@snippet :
 * JvmNode c = cluster.start("c", JvmNodeOptions.builder().seeds(a.nodeId()).build());
 * long t0 = System.nanoTime();
 * c.kill9();
 * NodeEvent down = a.awaitEvent(NodeEvent.down(c.nodeId(), NodeDownReason.CONNECTION_CLOSED), Duration.ofSeconds(5));
 * Duration detection = Duration.ofNanos(down.receivedNanos() - t0);
 * }
 *
 * <p>The child's stdout and stderr are read continuously, each by a thread of its own, so it never
 * blocks on a full pipe; the last {@value #TAIL_LINES} lines of each are kept for failure messages
 * ({@link #outputTail()}).
 *
 * <p>Threading: thread-safe. {@link #connectedNodes()} and {@link #stopGracefully()} send a command and
 * wait for its answer; calls are serialised.
 */
public final class JvmNode {

    /** Lines of stdout and of stderr kept for {@link #outputTail()}. */
    public static final int TAIL_LINES = 200;

    private final String name;
    private final JvmNodeOptions options;
    private final Process process;
    private final OutputStream stdin;
    private final CompletableFuture<String> upLine = new CompletableFuture<>();
    private final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final List<NodeEvent> events = new ArrayList<>();
    private final ArrayDeque<String> outTail = new ArrayDeque<>();
    private final ArrayDeque<String> errTail = new ArrayDeque<>();
    private volatile NodeId nodeId;
    private volatile long incarnation;

    JvmNode(String name, JvmNodeOptions options, Process process) {
        this.name = name;
        this.options = options;
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread out = drain(process.getInputStream(), "out", this::onStdout);
        drain(process.getErrorStream(), "err", line -> remember(errTail, line));
        process.onExit().thenRunAsync(() -> {
            try {
                out.join(2000); // its last lines (a NOEX-NODE-FAILED) come first
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            upLine.completeExceptionally(new IllegalStateException("exited with code " + process.exitValue()));
            synchronized (events) {
                events.notifyAll();
            }
        }, r -> Thread.ofVirtual().name("noex-jvm-" + name + "-exit").start(r));
    }

    private interface LineHandler {
        void line(String line);
    }

    private Thread drain(InputStream stream, String which, LineHandler handler) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    handler.line(line);
                }
            } catch (IOException e) {
                // the process ended or was killed
            }
        }, "noex-jvm-" + name + "-" + process.pid() + "-" + which);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void onStdout(String line) {
        long now = System.nanoTime();
        remember(outTail, line);
        if (line.startsWith(NodeProtocol.EVENT + " ")) {
            NodeEvent.parse(line.substring(NodeProtocol.EVENT.length() + 1), now).ifPresent(e -> {
                synchronized (events) {
                    events.add(e);
                    events.notifyAll();
                }
            });
        } else if (line.startsWith(NodeProtocol.NODE_UP + " ") || line.startsWith(NodeProtocol.NODE_FAILED)) {
            upLine.complete(line);
        } else if (line.startsWith(NodeProtocol.NODES) || line.startsWith(NodeProtocol.STOPPED)
                || line.startsWith(NodeProtocol.ERROR) || line.startsWith(NodeProtocol.REPLY)
                || line.startsWith(NodeProtocol.RUN_FAILED)) {
            replies.add(line);
        }
    }

    private static void remember(ArrayDeque<String> tail, String line) {
        synchronized (tail) {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }
    }

    /** Waits for the child's first report: its NodeId, or why it could not start. */
    void awaitUp(Duration timeout) {
        String line;
        try {
            line = upLine.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("node " + name + " (pid " + pid() + ") did not report " + NodeProtocol.NODE_UP
                    + " within " + timeout + "\n" + outputTail());
        } catch (ExecutionException e) {
            throw new IllegalStateException("node " + name + " (pid " + pid() + ") " + e.getCause().getMessage()
                    + " before it was up\n" + outputTail());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting node " + name, e);
        }
        if (line.startsWith(NodeProtocol.NODE_FAILED)) {
            throw new IllegalStateException("node " + name + " could not start: " + line + "\n" + outputTail());
        }
        String[] f = line.split(" ");
        nodeId = NodeId.parse(f[1]);
        incarnation = Long.parseLong(f[2]);
    }

    /** @return the node's name */
    public String name() {
        return name;
    }

    /** @return the node's NodeId, as it reported it */
    public NodeId nodeId() {
        return nodeId;
    }

    /** @return the incarnation this JVM runs the NodeId in */
    public long incarnation() {
        return incarnation;
    }

    /** @return the options it was started with */
    public JvmNodeOptions options() {
        return options;
    }

    /** @return the child process */
    public Process process() {
        return process;
    }

    /** @return the child's PID */
    public long pid() {
        return process.pid();
    }

    /** @return whether the child process is alive (a frozen one is) */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** @return every event it reported so far, in order */
    public List<NodeEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /**
     * Waits for an event matching {@code predicate}; events reported before the call count too.
     *
     * @param predicate for example {@code NodeEvent.down(id, NodeDownReason.HEARTBEAT_TIMEOUT)}
     * @param timeout how long to wait at most
     * @return the first matching event
     * @throws AssertionError if none came in time or the node exited, with its events and output
     */
    public NodeEvent awaitEvent(Predicate<NodeEvent> predicate, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            int checked = 0;
            while (true) {
                for (; checked < events.size(); checked++) {
                    if (predicate.test(events.get(checked))) {
                        return events.get(checked);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive()) {
                    throw new AssertionError("node " + name + " reported no matching event within " + timeout
                            + (process.isAlive() ? "" : " (it exited with code " + process.exitValue() + ")")
                            + "; its events: " + events + "\n" + outputTail());
                }
                try {
                    events.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for an event of " + name, e);
                }
            }
        }
    }

    /**
     * Asks the node which nodes it is connected to.
     *
     * @return their NodeIds
     * @throws IllegalStateException if it does not answer within 5 s (for example, frozen)
     */
    public synchronized List<NodeId> connectedNodes() {
        String reply = exchange(NodeProtocol.CMD_NODES, Duration.ofSeconds(5));
        if (!reply.startsWith(NodeProtocol.NODES)) {
            throw new IllegalStateException("node " + name + " answered '" + reply + "' to " + NodeProtocol.CMD_NODES);
        }
        String ids = reply.substring(NodeProtocol.NODES.length()).trim();
        return ids.isEmpty() ? List.of() : Arrays.stream(ids.split(" ")).map(NodeId::parse).toList();
    }

    /**
     * Asks the node's {@link JvmNodeSetup} to run a command, in the child's JVM, and returns its
     * answer. Waits at most 30 s.
     *
     * @param command one line
     * @return the setup's answer
     * @throws IllegalStateException if the setup threw (its message attached) or did not answer
     */
    public String command(String command) {
        return command(command, Duration.ofSeconds(30));
    }

    /**
     * {@link #command(String)} with a given wait.
     *
     * @param command one line
     * @param timeout the longest wait for the answer
     * @return the setup's answer
     */
    public synchronized String command(String command, Duration timeout) {
        if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a command is one line: " + command);
        }
        String reply = exchange(NodeProtocol.CMD_RUN + command, timeout);
        if (reply.startsWith(NodeProtocol.REPLY)) {
            return reply.substring(NodeProtocol.REPLY.length()).strip();
        }
        throw new IllegalStateException("node " + name + " failed '" + command + "': "
                + reply.substring(reply.indexOf(' ') + 1));
    }

    private String exchange(String command, Duration timeout) {
        replies.clear();
        send(command);
        try {
            String reply = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply == null) {
                throw new IllegalStateException("node " + name + " did not answer '" + command + "' within " + timeout
                        + "\n" + outputTail());
            }
            return reply;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    private void send(String command) {
        try {
            stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new IllegalStateException("cannot send '" + command + "' to node " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops the node's cluster gracefully (peers report {@code GRACEFUL_SHUTDOWN}) and waits for
     * its JVM to exit.
     *
     * @throws IllegalStateException if it does not exit with 0 within 15 s
     */
    public synchronized void stopGracefully() {
        send(NodeProtocol.CMD_STOP);
        awaitExit(Duration.ofSeconds(15), 0);
    }

    /** Kills the JVM with {@code SIGKILL} (no goodbye to peers) and waits until it is gone. */
    public void kill9() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(15), -1);
    }

    /**
     * Suspends the JVM with {@code SIGSTOP}: it keeps its sockets open but does nothing, as a node
     * stalled by a long GC pause or a hung host. POSIX only (it runs {@code kill -STOP <pid>}).
     */
    public void freeze() {
        signal("STOP");
    }

    /** Resumes a {@link #freeze() frozen} JVM with {@code SIGCONT}. POSIX only. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        if (!process.isAlive()) {
            throw new IllegalStateException("node " + name + " (pid " + pid() + ") is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + signal + " " + pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill -" + signal + " (POSIX only): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + name, e);
        }
    }

    private void awaitExit(Duration timeout, int expectedCode) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("node " + name + " (pid " + pid() + ") did not exit within " + timeout
                        + "; killed\n" + outputTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while waiting for " + name + " to exit", e);
        }
        if (expectedCode >= 0 && process.exitValue() != expectedCode) {
            throw new IllegalStateException("node " + name + " exited with " + process.exitValue() + ", not "
                    + expectedCode + "\n" + outputTail());
        }
    }

    /** Kills the JVM if it is alive (a frozen one too). Idempotent. */
    void destroy() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return the last lines of the child's stdout and stderr, for a failure message */
    public String outputTail() {
        StringBuilder sb = new StringBuilder();
        sb.append("--- stdout of ").append(name).append(" (pid ").append(pid()).append(", last ").append(TAIL_LINES)
                .append(" lines) ---\n");
        synchronized (outTail) {
            outTail.forEach(l -> sb.append(l).append('\n'));
        }
        sb.append("--- stderr of ").append(name).append(" ---\n");
        synchronized (errTail) {
            errTail.forEach(l -> sb.append(l).append('\n'));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "JvmNode[" + name + ", " + Optional.ofNullable(nodeId).map(NodeId::toString).orElse("starting")
                + ", pid " + pid() + (process.isAlive() ? "" : ", exited") + "]";
    }
}
