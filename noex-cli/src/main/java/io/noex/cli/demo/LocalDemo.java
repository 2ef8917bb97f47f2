package io.noex.cli.demo;

import io.noex.ChildInfo;
import io.noex.ChildSpec;
import io.noex.Down;
import io.noex.Exit;
import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.MonitorRef;
import io.noex.Node;
import io.noex.ServerCrashedException;
import io.noex.ServerNotRunningException;
import io.noex.StartOptions;
import io.noex.SupervisorSpec;
import io.noex.SupervisorStrategy;
import io.noex.cli.demo.DemoServers.Calculator;
import io.noex.cli.demo.DemoServers.Counter;
import io.noex.cli.demo.DemoServers.CounterMsg;
import io.noex.cli.demo.DemoServers.Divide;
import io.noex.cli.demo.DemoServers.FlakyWorker;
import io.noex.cli.demo.DemoServers.Seen;
import io.noex.cli.demo.DemoServers.Witness;
import io.noex.cli.demo.DemoServers.WorkerMsg;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

import static io.noex.cli.demo.DemoFailure.expect;

/**
 * The guided walk-through of the local runtime behind {@code noex demo}. It runs on a node of its
 * own ({@code Node.create}), closed at the end, and plays five acts:
 *
 * <ol type="a">
 *   <li>a ONE_FOR_ONE supervisor with a counter and a flaky worker; casts and calls;</li>
 *   <li>the flaky worker crashes; a monitor sees why, and the supervisor restarts it with a new
 *       ref and a fresh state while its sibling keeps running;</li>
 *   <li>a process monitors another, which crashes in a call: the caller gets the crash at once,
 *       the watcher a {@link Down} with the real reason; a monitor on a dead process: {@code noproc};</li>
 *   <li>a crash cascades along a chain of links; the process at the end traps exits and gets an
 *       {@link Exit} message instead of dying;</li>
 *   <li>a supervisor whose child crashes more often than its restart intensity allows gives up,
 *       shuts its other child down and exits with a reason that says so;</li>
 * </ol>
 * then prints a summary table. Every wait has a deadline ({@link Waits}); the demo never sleeps
 * hoping something happened. Each act checks what it narrates, so the result is a test of the
 * runtime as well as a show.
 *
 * <p>Threading: {@link #run} plays the acts on the calling thread.
 */
public final class LocalDemo {

    /**
     * Loggers turned off while the demo plays (see {@link QuietLoggers}): crash reports, and the
     * supervisor's "reached its maximum restart intensity" error of act (e). Both report failures
     * the demo causes on purpose and narrates itself.
     */
    private static final String[] PLANNED_FAILURE_LOGGERS = {"io.noex.CrashReport", "io.noex.SupervisorServer"};

    private final Node node;
    /** The supervisor act (a) starts and act (b) uses; null until then. */
    private GenServerRef supervisor;

    private LocalDemo(Node node) {
        this.node = node;
    }

    /**
     * Plays the demo, narrating to {@code out}.
     *
     * @param out where the narration goes
     * @return how each act went
     */
    public static DemoResult run(PrintStream out) {
        return run(new PrintWriter(out, true));
    }

    /**
     * Plays the demo, narrating to {@code out}.
     *
     * @param out where the narration goes
     * @return how each act went
     */
    public static DemoResult run(PrintWriter out) {
        long start = System.nanoTime();
        Narrator n = new Narrator(out, start);
        List<ActResult> results;
        try (QuietLoggers quiet = QuietLoggers.silence(PLANNED_FAILURE_LOGGERS);
                Node node = Node.create("demo")) {
            n.line("noex demo: the local runtime, act by act");
            n.line("node " + node.nodeId() + ", Java " + Runtime.version().feature()
                    + "; each line starts with the seconds since the demo started");
            results = new LocalDemo(node).script().play(n);
            n.blank();
            n.say("closing the node: its " + node.processCount() + " remaining processes stop with reason shutdown");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        DemoScript.summarize(results, took, n);
        return new DemoResult(results, took);
    }

    private DemoScript script() {
        return new DemoScript(List.of(
                new Act("a", "A supervisor and two workers: cast and call", this::supervisorAndWorkers),
                new Act("b", "A worker crashes and its supervisor restarts it", this::crashAndRestart),
                new Act("c", "A monitor fires with the real exit reason", this::monitorFires),
                new Act("d", "Links: a crash cascades, a trapping process lives", this::linksCascade),
                new Act("e", "Too many restarts: the supervisor gives up", this::restartIntensity)));
    }

    // ------------------------------------------------------------------ (a)

    private void supervisorAndWorkers(Narrator n) {
        supervisor = node.supervisors().start(SupervisorSpec.builder()
                .strategy(SupervisorStrategy.ONE_FOR_ONE)
                .restartIntensity(3, Duration.ofSeconds(5))
                .child(ChildSpec.worker("counter", new Counter()).build())
                .child(ChildSpec.worker("flaky", new FlakyWorker()).build())
                .build());
        n.say("started supervisor " + supervisor.id() + ": ONE_FOR_ONE, at most 3 restarts in 5 s");
        for (ChildInfo c : node.supervisors().whichChildren(supervisor)) {
            n.detail(String.format("child %-8s %-12s %s, %s", c.id(), c.ref().map(GenServerRef::id).orElse("-"),
                    c.type(), c.restart()));
        }

        GenServerRef counter = child(supervisor, "counter");
        node.cast(counter, new CounterMsg.Add(5));
        node.cast(counter, new CounterMsg.Add(2));
        n.say("cast Add(5) and Add(2) to counter: a cast returns at once, nobody waits");
        int value = node.call(counter, new CounterMsg.Get());
        n.say("call Get on counter -> " + value);
        n.detail("from one sender, messages arrive in the order sent: both casts came first");
        expect(value == 7, "counter should read 7 after Add(5) and Add(2), read " + value);

        GenServerRef flaky = child(supervisor, "flaky");
        for (String job : List.of("resize photo.jpg", "send welcome mail")) {
            String reply = node.call(flaky, new WorkerMsg.Work(job));
            n.say("call Work(\"" + job + "\") on flaky -> \"" + reply + "\"");
        }
        int done = node.call(flaky, new WorkerMsg.JobsDone());
        expect(done == 2, "flaky should have done 2 jobs, reports " + done);
    }

    // ------------------------------------------------------------------ (b)

    private void crashAndRestart(Narrator n) throws InterruptedException {
        expect(supervisor != null, "needs the supervisor of act (a), which did not start");
        GenServerRef sup = supervisor;
        GenServerRef counter = child(sup, "counter");
        GenServerRef before = child(sup, "flaky");

        CompletableFuture<ExitReason> down = new CompletableFuture<>();
        node.monitor(before, (ref, reason) -> down.complete(reason));
        n.say("monitoring flaky " + before.id() + " with a callback");
        node.cast(before, new WorkerMsg.Boom("disk full"));
        n.say("cast Boom(\"disk full\") to flaky: its handleCast throws");

        ExitReason reason = Waits.await("the monitor on flaky to fire", down);
        n.say("monitor fired: flaky " + before.id() + " exited with reason");
        n.detail(reason.toString());
        expect(reason instanceof ExitReason.Error, "flaky should exit with an error reason, got " + reason);

        // The supervisor traps exits: the crash reached it as an Exit message, and it restarts
        // the child when it handles that message. Ask it until it reports a new ref.
        GenServerRef after = Waits.until("the supervisor to restart flaky",
                () -> childRef(sup, "flaky").filter(r -> !r.equals(before)));
        int restarts = node.supervisors().whichChildren(sup).stream()
                .filter(c -> c.id().equals("flaky")).mapToInt(ChildInfo::restartCount).sum();
        n.say("supervisor restarted flaky: " + before.id() + " -> " + after.id() + " (restart count " + restarts + ")");
        expect(restarts == 1, "flaky should have been restarted once, restart count is " + restarts);

        int done = node.call(after, new WorkerMsg.JobsDone());
        n.say("call JobsDone on the new flaky -> " + done + " (it was 2: a restart begins again from init)");
        expect(done == 0, "the restarted flaky should start from a fresh state, reports " + done + " jobs done");
        try {
            node.call(before, new WorkerMsg.JobsDone());
            throw new DemoFailure("a call on the old ref " + before.id() + " should fail, but it was answered");
        } catch (ServerNotRunningException e) {
            n.say("call on the old ref " + before.id() + " -> ServerNotRunningException (refs are never reused)");
        }

        GenServerRef counterNow = child(sup, "counter");
        int value = node.call(counterNow, new CounterMsg.Get());
        n.say("counter " + counterNow.id() + " kept running and still reads " + value
                + " (ONE_FOR_ONE restarts only the child that died)");
        expect(counterNow.equals(counter) && value == 7,
                "counter should be untouched (" + counter.id() + ", 7), is " + counterNow.id() + " reading " + value);
    }

    // ------------------------------------------------------------------ (c)

    private void monitorFires(Narrator n) throws InterruptedException {
        BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
        GenServerRef watcher = node.start(new Witness(seen));
        GenServerRef calculator = node.start(new Calculator());
        MonitorRef monitor = node.monitor(watcher, calculator);
        n.say("watcher " + watcher.id() + " monitors calculator " + calculator.id() + " (monitor " + monitor + ")");

        int quotient = node.call(calculator, new Divide(84, 2));
        n.say("call Divide(84, 2) on calculator -> " + quotient);
        try {
            node.call(calculator, new Divide(1, 0));
            throw new DemoFailure("Divide(1, 0) should crash the calculator, but it replied");
        } catch (ServerCrashedException e) {
            n.say("call Divide(1, 0) -> ServerCrashedException, at once:");
            n.detail(e.getMessage());
        }

        Down down = next(seen, Down.class, "the watcher to receive a Down");
        n.say("watcher's handleInfo received Down(" + down.monitorRef() + ", " + down.ref().id() + ", reason)");
        n.detail(down.reason().toString());
        expect(down.monitorRef().equals(monitor) && down.ref().equals(calculator),
                "the Down should name monitor " + monitor + " and " + calculator.id() + ", got " + down);
        expect(down.reason() instanceof ExitReason.Error e && e.cause().orElse(null) instanceof ArithmeticException,
                "the Down should carry the ArithmeticException that crashed the calculator, got " + down.reason());

        node.monitor(watcher, calculator);
        Down late = next(seen, Down.class, "a Down for a monitor on a dead process");
        n.say("monitoring the dead calculator again -> Down with reason " + late.reason() + ", at once");
        expect(late.reason() instanceof ExitReason.Noproc, "a monitor on a dead process should fire noproc, got " + late.reason());
        node.stop(watcher);
    }

    // ------------------------------------------------------------------ (d)

    private void linksCascade(Narrator n) throws InterruptedException {
        BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
        GenServerRef guardian = node.start(new Witness(seen), StartOptions.builder().trapExit(true).build());
        GenServerRef a = node.start(new FlakyWorker());
        GenServerRef b = node.start(new FlakyWorker());
        GenServerRef c = node.start(new FlakyWorker());
        node.link(a, b);
        node.link(b, c);
        node.link(c, guardian);
        n.say("linked a " + a.id() + " <-> b " + b.id() + " <-> c " + c.id() + " <-> guardian " + guardian.id());
        n.detail("a, b and c do not trap exits; guardian does (StartOptions.trapExit(true))");

        CompletableFuture<ExitReason> exitA = exitOf(a);
        CompletableFuture<ExitReason> exitB = exitOf(b);
        CompletableFuture<ExitReason> exitC = exitOf(c);
        node.cast(a, new WorkerMsg.Boom("bad input"));
        n.say("cast Boom(\"bad input\") to a: its handleCast throws");

        ExitReason reasonA = Waits.await("a to exit", exitA);
        n.say("a " + a.id() + " crashed with reason");
        n.detail(reasonA.toString());
        ExitReason reasonB = Waits.await("b to exit", exitB);
        n.say("b " + b.id() + " died through its link to a, with the same reason");
        expect(reasonB.equals(reasonA), "b should die with a's reason, died with " + reasonB);
        ExitReason reasonC = Waits.await("c to exit", exitC);
        n.say("c " + c.id() + " died through its link to b, with the same reason");
        expect(reasonC.equals(reasonA), "c should die with a's reason, died with " + reasonC);

        Exit exit = next(seen, Exit.class, "the guardian to receive an Exit");
        n.say("guardian's handleInfo received Exit(from " + exit.from().id() + ", same reason) instead of dying");
        expect(exit.from().equals(c) && exit.reason().equals(reasonA),
                "the guardian should get Exit(from " + c.id() + ", " + reasonA + "), got " + exit);
        expect(node.isRunning(guardian), "the guardian traps exits and should still be running");
        int signals = node.call(guardian, new Seen());
        n.say("guardian is still running and answers a call (signals seen: " + signals + ")");
        node.stop(guardian);
    }

    // ------------------------------------------------------------------ (e)

    private void restartIntensity(Narrator n) throws InterruptedException {
        int maxRestarts = 2;
        GenServerRef sup = node.supervisors().start(SupervisorSpec.builder()
                .strategy(SupervisorStrategy.ONE_FOR_ONE)
                .restartIntensity(maxRestarts, Duration.ofSeconds(5))
                .child(ChildSpec.worker("fragile", new FlakyWorker()).build())
                .child(ChildSpec.worker("bystander", new Counter()).build())
                .build());
        GenServerRef bystander = child(sup, "bystander");
        n.say("started supervisor " + sup.id() + ": ONE_FOR_ONE, at most " + maxRestarts
                + " restarts in 5 s, children fragile and bystander");
        CompletableFuture<ExitReason> supervisorExit = exitOf(sup);

        for (int crash = 1; crash <= maxRestarts + 1; crash++) {
            GenServerRef fragile = child(sup, "fragile");
            node.cast(fragile, new WorkerMsg.Boom("crash #" + crash));
            if (crash <= maxRestarts) {
                GenServerRef next = Waits.until("restart #" + crash + " of fragile",
                        () -> childRef(sup, "fragile").filter(r -> !r.equals(fragile)));
                n.say("crash #" + crash + ": fragile " + fragile.id() + " restarted as " + next.id()
                        + " (restart " + crash + " of " + maxRestarts + ")");
            } else {
                n.say("crash #" + crash + ": fragile " + fragile.id() + " crashed; restart #" + crash
                        + " would exceed the intensity");
            }
        }

        ExitReason reason = Waits.await("the supervisor to give up", supervisorExit);
        n.say("supervisor " + sup.id() + " gave up and exited with reason");
        n.detail(reason.toString());
        expect(reason instanceof ExitReason.Error e && e.message().contains("maximum restart intensity"),
                "the supervisor should exit with an error naming its restart intensity, got " + reason);
        expect(!node.isRunning(bystander), "the supervisor should have shut down bystander " + bystander.id());
        n.say("bystander " + bystander.id() + " was shut down first: isRunning -> false");
        n.detail("a supervisor above this one, or any process linked to it, now sees that exit");
    }

    // ------------------------------------------------------------------ helpers

    /** @return a future completed with the exit reason of {@code ref}, through a callback monitor */
    private CompletableFuture<ExitReason> exitOf(GenServerRef ref) {
        CompletableFuture<ExitReason> exit = new CompletableFuture<>();
        node.monitor(ref, (target, reason) -> exit.complete(reason));
        return exit;
    }

    private Optional<GenServerRef> childRef(GenServerRef sup, String id) {
        return node.supervisors().whichChildren(sup).stream()
                .filter(c -> c.id().equals(id))
                .findFirst()
                .flatMap(ChildInfo::ref);
    }

    private GenServerRef child(GenServerRef sup, String id) {
        return childRef(sup, id).orElseThrow(() -> new DemoFailure("supervisor " + sup.id() + " has no running child '" + id + "'"));
    }

    private static <T> T next(BlockingQueue<Object> seen, Class<T> type, String what) throws InterruptedException {
        Object signal = Waits.await(what, seen);
        if (!type.isInstance(signal)) {
            throw new DemoFailure("expected " + what + ", got " + signal);
        }
        return type.cast(signal);
    }
}
