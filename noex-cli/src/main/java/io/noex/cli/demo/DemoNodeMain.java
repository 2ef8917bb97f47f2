package io.noex.cli.demo;

import io.noex.distribution.Cluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The main class of each node JVM that {@code noex demo} starts: one cluster node, driven by the
 * demo over stdin and answering on stdout in the {@link DemoWire} line protocol. It prints
 * {@code HELLO <pid>} at once and joins a cluster only when told to ({@code start}), so the demo
 * can start every JVM at the same time (their warm-up overlaps) and still choose the order in
 * which they join. Not for people: run {@code bin/noex demo}.
 *
 * <p>Exits with 0 after {@code quit} (having left the cluster gracefully), and at once, without
 * a word to its peers, when its stdin ends: the demo that started it is gone (killed, say), and
 * nobody else would ever stop this JVM.
 *
 * <p>Threading: commands run on the main thread, one at a time; event lines come from the
 * library's listener threads; every line is written whole.
 */
public final class DemoNodeMain {

    private DemoNodeMain() {
    }

    /**
     * Serves the demo's commands until {@code quit} or the end of stdin.
     *
     * @param args none
     * @throws IOException if stdin cannot be read
     */
    public static void main(String[] args) throws IOException {
        PrintStream stdout = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        Object lock = new Object();
        DemoNodeCommands commands = new DemoNodeCommands(line -> {
            synchronized (lock) {
                stdout.println(line);
                stdout.flush();
            }
        });
        synchronized (lock) {
            stdout.println(DemoWire.HELLO + " " + ProcessHandle.current().pid());
            stdout.flush();
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            List<String> fields = DemoWire.fields(line, 3);
            String seq = fields.get(0);
            String verb = fields.size() > 1 ? fields.get(1) : "";
            List<String> rest = fields.size() > 2 ? DemoWire.fields(fields.get(2), -1) : List.of();
            String reply;
            try {
                if (verb.equals("quit")) {
                    Cluster.stop();
                    reply = DemoWire.OK + " " + seq + " -";
                } else {
                    reply = DemoWire.OK + " " + seq + " " + commands.handle(verb, rest);
                }
            } catch (Exception e) {
                reply = DemoWire.ERR + " " + seq + " " + DemoWire.oneLine(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            synchronized (lock) {
                stdout.println(reply);
                stdout.flush();
            }
            if (verb.equals("quit")) {
                System.exit(0);
            }
        }
        // The demo is gone: leave at once (peers see the connection close).
        Runtime.getRuntime().halt(0);
    }
}
