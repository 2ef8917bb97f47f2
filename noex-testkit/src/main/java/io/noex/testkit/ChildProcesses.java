package io.noex.testkit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every child JVM this test JVM started and has not yet seen end, so that a JVM shutdown hook can
 * kill the leftovers if the test JVM exits without closing its {@link JvmCluster}s (a
 * {@code System.exit}, a fork timeout, Ctrl-C). The one JVM-wide mutable state of the testkit:
 * a shutdown hook is JVM-wide by nature. (A test JVM killed with {@code SIGKILL} runs no hook;
 * then each child sees its stdin end and exits by itself, see {@link NodeMain}.)
 *
 * <p>Threading: thread-safe.
 */
final class ChildProcesses {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcesses::killAll, "noex-testkit-kill-children"));
    }

    private ChildProcesses() {
    }

    static void started(Process p) {
        LIVE.add(p);
        // A child that ends by itself needs no killing.
        p.onExit().thenRun(() -> LIVE.remove(p));
    }

    private static void killAll() {
        for (Process p : LIVE) {
            p.destroyForcibly();
        }
    }
}
