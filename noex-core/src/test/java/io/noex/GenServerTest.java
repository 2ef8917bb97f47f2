package io.noex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NodeLeakCheck.class)
@Timeout(30)
class GenServerTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void start_runsInitWithArgs_beforeAnyMessage(Node node) throws Exception {
        Probe probe = new Probe();
        GenServerRef ref = node.start(probe, StartOptions.builder().args("a", 1).build());
        Probe.Started started = probe.next(Probe.Started.class);
        assertThat(started.ref()).isEqualTo(ref);
        assertThat(started.args()).containsExactly("a", 1);
        assertThat(ref.nodeId()).isEqualTo(node.nodeId());
        assertThat(ref.isProcessId()).isTrue();
        assertThat(node.isRunning(ref)).isTrue();
    }

    @Test
    void call_returnsTheReply_andCastsAreHandledInOrder(Node node) {
        GenServerRef ref = node.start(new Probe());
        for (int i = 0; i < 1000; i++) {
            node.cast(ref, "inc");
        }
        int count = node.call(ref, "count");
        assertThat(count).isEqualTo(1000);
        Object echoed = node.call(ref, (Probe.Action) s -> List.of("x", s.count));
        assertThat(echoed).isEqualTo(List.of("x", 1000));
    }

    @Test
    void call_replyMayBeNull(Node node) {
        GenServerRef ref = node.start(new Probe());
        Object reply = node.call(ref, (Probe.Action) s -> null);
        assertThat(reply).isNull();
    }

    @Test
    void call_defaultTimeoutIsFiveSeconds() {
        assertThat(Node.DEFAULT_CALL_TIMEOUT).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void call_whenNoReplyInTime_failsAtTheTimeout_andTheLateReplyIsDropped(Node node) {
        GenServerRef ref = node.start(new Probe());
        CountDownLatch release = new CountDownLatch(1);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> node.call(ref, (Probe.Action) s -> {
            release.await();
            return "late";
        }, Duration.ofMillis(200)))
                .isInstanceOfSatisfying(CallTimeoutException.class, e -> {
                    assertThat(e.server()).isEqualTo(ref);
                    assertThat(e.timeout()).isEqualTo(Duration.ofMillis(200));
                });
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(elapsedMs).isBetween(190L, 2_000L);
        release.countDown();
        Object next = node.call(ref, (Probe.Action) s -> "fresh", LONG);
        assertThat(next).isEqualTo("fresh");
    }

    @Test
    void call_withZeroOrNegativeTimeout_isRejected(Node node) {
        GenServerRef ref = node.start(new Probe());
        assertThatThrownBy(() -> node.call(ref, "count", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> node.call(ref, "count", Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(node.isRunning(ref)).isTrue();
    }

    @Test
    void call_withNullMessage_isRejectedAndTheServerKeepsRunning(Node node) {
        GenServerRef ref = node.start(new Probe());
        assertThatThrownBy(() -> node.call(ref, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("msg");
        assertThatThrownBy(() -> node.cast(ref, null)).isInstanceOf(NullPointerException.class);
        assertThat((int) node.call(ref, "count")).isZero();
    }

    @Test
    void call_toAProcessThatDoesNotExist_failsWithServerNotRunning(Node node) {
        GenServerRef ghost = new GenServerRef("<nope.1>", node.nodeId());
        assertThatThrownBy(() -> node.call(ghost, "count"))
                .isInstanceOfSatisfying(ServerNotRunningException.class, e -> assertThat(e.server()).isEqualTo(ghost));
        GenServerRef byName = new GenServerRef("nobody", node.nodeId());
        assertThatThrownBy(() -> node.call(byName, "count")).isInstanceOf(ServerNotRunningException.class);
    }

    @Test
    void call_toItself_failsAtOnce(Node node) {
        GenServerRef ref = node.start(new Probe());
        Object outcome = node.call(ref, (Probe.Action) s -> {
            try {
                GenServer.call(GenServer.self(), "count", LONG);
                return "no exception";
            } catch (CallToSelfException e) {
                return e;
            }
        });
        assertThat(outcome).isInstanceOf(CallToSelfException.class);
    }

    @Test
    void call_whenServerCrashesMidCall_failsAtOnceNamingProcessAndCause(Node node) {
        GenServerRef ref = node.start(new Probe());
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> node.call(ref, (Probe.Action) s -> {
            throw new IllegalStateException("boom");
        }, LONG))
                .isInstanceOfSatisfying(ServerCrashedException.class, e -> {
                    assertThat(e.server()).isEqualTo(ref);
                    assertThat(e.getMessage()).contains(ref.toString()).contains("IllegalStateException").contains("boom");
                    assertThat(e.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
                    assertThat(e.reason()).isInstanceOf(ExitReason.Error.class);
                });
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2_000);
        assertThat(node.isRunning(ref)).isFalse();
    }

    @Test
    void crash_runsTerminateWithTheErrorReason(Node node) throws Exception {
        Probe probe = new Probe();
        GenServerRef ref = node.start(probe);
        node.cast(ref, (Probe.Action) s -> {
            throw new ArithmeticException("div");
        });
        Probe.Terminated t = probe.next(Probe.Terminated.class);
        assertThat(t.reason()).isInstanceOfSatisfying(ExitReason.Error.class, e -> {
            assertThat(e.message()).contains("ArithmeticException: div");
            assertThat(e.cause()).get().isInstanceOf(ArithmeticException.class);
        });
        // terminate runs before the exit is counted: wait for the count, do not race it
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> node.stats().crashed() == 1);
        assertThat(node.stats().crashed()).isEqualTo(1);
    }

    @Test
    void crash_failsEveryQueuedCallAtOnce(Node node) throws Exception {
        GenServerRef ref = node.start(new Probe());
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        node.cast(ref, (Probe.Action) s -> {
            inHandler.countDown();
            release.await();
            throw new IllegalStateException("crash while others wait");
        });
        inHandler.await();
        List<CompletableFuture<Object>> waiting = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waiting.add(node.callAsync(ref, "count", LONG));
        }
        release.countDown();
        for (CompletableFuture<Object> f : waiting) {
            assertThatThrownBy(() -> f.get(2, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ServerExitedException.class);
        }
    }

    @Test
    void call_whenServerStopsBeforeReplying_failsWithServerExited(Node node) {
        GenServerRef ref = node.start(new DeferringServer());
        CompletableFuture<Object> pending = node.callAsync(ref, "later", LONG);
        node.stop(ref, ExitReason.shutdown());
        assertThatThrownBy(() -> pending.get(2, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ServerExitedException.class)
                .cause().satisfies(c -> assertThat(((ServerExitedException) c).reason()).isEqualTo(ExitReason.shutdown()));
    }

    @Test
    void deferredReply_canBeGivenLaterByAnotherProcess(Node node) {
        GenServerRef deferring = node.start(new DeferringServer());
        CompletableFuture<String> pending = node.callAsync(deferring, "later", LONG);
        Caller caller = node.call(deferring, "taken");
        GenServerRef helper = node.start(new Probe());
        node.cast(helper, (Probe.Action) s -> {
            GenServer.reply(caller, "answered by helper");
            return null;
        });
        assertThat(pending.join()).isEqualTo("answered by helper");
        assertThat(caller.isAnswered()).isTrue();
    }

    /** Defers "later" calls; "taken" returns the last deferred caller. */
    static final class DeferringServer implements GenServerBehavior<List<Caller>> {
        @Override
        public List<Caller> init(List<Object> args) {
            return new ArrayList<>();
        }

        @Override
        public CallResult<List<Caller>> handleCall(Object msg, List<Caller> callers) {
            if ("later".equals(msg)) {
                callers.add(GenServer.caller());
                return CallResult.noReply(callers);
            }
            return CallResult.reply(callers.get(callers.size() - 1), callers);
        }

        @Override
        public List<Caller> handleCast(Object msg, List<Caller> callers) {
            return callers;
        }
    }

    @Test
    void callResultStop_repliesThenRunsTerminateAndExits(Node node) throws Exception {
        Probe probe = new Probe();
        GenServerRef ref = node.start(new StoppingServer(probe));
        Object reply = node.call(ref, "bye");
        assertThat(reply).isEqualTo("goodbye");
        Probe.Terminated t = probe.next(Probe.Terminated.class);
        assertThat(t.reason()).isEqualTo(ExitReason.normal());
        assertThat(node.isRunning(ref)).isFalse();
    }

    record StoppingServer(Probe report) implements GenServerBehavior<String> {
        @Override
        public String init(List<Object> args) {
            return "up";
        }

        @Override
        public CallResult<String> handleCall(Object msg, String state) {
            return CallResult.stop(ExitReason.normal(), "goodbye", "down");
        }

        @Override
        public String handleCast(Object msg, String state) {
            return state;
        }

        @Override
        public void terminate(ExitReason reason, String state) {
            report.events.add(new Probe.Terminated(GenServer.self(), reason));
        }
    }

    @Test
    void badReturnValue_crashesWithAReasonNamingTheCallback(Node node) {
        GenServerRef ref = node.start(new NullReturningServer());
        assertThatThrownBy(() -> node.call(ref, "x"))
                .isInstanceOfSatisfying(ServerCrashedException.class,
                        e -> assertThat(e.getMessage()).contains("bad return value from handleCall"));
        GenServerRef ref2 = node.start(new NullReturningServer());
        MonitorRef m = node.monitor(ref2, (r, reason) -> { });
        node.cast(ref2, "x");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !node.isRunning(ref2));
        assertThat(m).isNotNull();
    }

    static final class NullReturningServer implements GenServerBehavior<String> {
        @Override
        public String init(List<Object> args) {
            return "s";
        }

        @Override
        public CallResult<String> handleCall(Object msg, String state) {
            return null;
        }

        @Override
        public String handleCast(Object msg, String state) {
            return null;
        }
    }

    @Test
    void unknownCallMessage_isRejectedAndTheServerKeepsItsState(Node node) {
        GenServerRef ref = node.start(new Probe());
        node.cast(ref, "inc");
        assertThatThrownBy(() -> node.call(ref, 42))
                .isInstanceOfSatisfying(UnknownMessageException.class, e -> assertThat(e.rejected()).isEqualTo(42));
        node.cast(ref, "what is this");
        assertThat((int) node.call(ref, "count")).isEqualTo(1);
    }

    @Test
    void callAsync_completesWithTheReply_orFailsAtItsTimeout(Node node) throws Exception {
        GenServerRef ref = node.start(new Probe());
        assertThat(node.<Object>callAsync(ref, (Probe.Action) s -> "async").get(5, TimeUnit.SECONDS)).isEqualTo("async");
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> slow = node.callAsync(ref, (Probe.Action) s -> {
            release.await();
            return "late";
        }, Duration.ofMillis(100));
        assertThatThrownBy(() -> slow.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(CallTimeoutException.class);
        release.countDown();
        assertThat(node.callAsync(ghost(node), "count").isCompletedExceptionally()).isTrue();
    }

    private static GenServerRef ghost(Node node) {
        return new GenServerRef("<ghost.1>", node.nodeId());
    }

    @Test
    void send_goesToHandleInfo(Node node) throws Exception {
        Probe probe = new Probe();
        GenServerRef ref = node.start(probe);
        node.send(ref, "hello info");
        assertThat(probe.next(String.class)).isEqualTo("hello info");
    }

    @Test
    void castAndSend_toAMissingProcess_areDroppedAndCounted(Node node) {
        long before = node.stats().droppedMessages();
        node.cast(ghost(node), "x");
        node.send(ghost(node), "y");
        assertThat(node.stats().droppedMessages()).isEqualTo(before + 2);
    }

    @Test
    void stop_runsTerminateWithTheReason_andReturnsOnceExited(Node node) throws Exception {
        Probe probe = new Probe();
        GenServerRef ref = node.start(probe);
        node.stop(ref, ExitReason.shutdown());
        assertThat(node.isRunning(ref)).isFalse();
        assertThat(probe.next(Probe.Terminated.class).reason()).isEqualTo(ExitReason.shutdown());
    }

    @Test
    void stop_ofAnUnknownRef_isANoOp(Node node) {
        node.stop(ghost(node));
        GenServerRef ref = node.start(new Probe());
        node.stop(ref);
        node.stop(ref);
        assertThat(node.isRunning(ref)).isFalse();
    }

    @Test
    void stop_fromInsideTheProcess_stopsWhenTheCallbackReturns(Node node) throws Exception {
        Probe probe = new Probe();
        GenServerRef ref = node.start(probe);
        Object reply = node.call(ref, (Probe.Action) s -> {
            GenServer.stop(GenServer.self());
            return "still answering";
        });
        assertThat(reply).isEqualTo("still answering");
        assertThat(probe.next(Probe.Terminated.class).reason()).isEqualTo(ExitReason.normal());
    }

    @Test
    void stop_whenTerminateHangs_killsAfterTheTimeout(Node node) {
        GenServerRef ref = node.start(new HangingTerminate());
        long t0 = System.nanoTime();
        node.stop(ref, ExitReason.normal(), Duration.ofMillis(200));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(150L, 3_000L);
        assertThat(node.isRunning(ref)).isFalse();
    }

    static final class HangingTerminate implements GenServerBehavior<String> {
        @Override
        public String init(List<Object> args) {
            return "s";
        }

        @Override
        public CallResult<String> handleCall(Object msg, String state) {
            return CallResult.reply(state, state);
        }

        @Override
        public String handleCast(Object msg, String state) {
            return state;
        }

        @Override
        public void terminate(ExitReason reason, String state) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void kill_doesNotRunTerminate_andInterruptsARunningCallback(Node node) throws Exception {
        Probe probe = new Probe();
        GenServerRef ref = node.start(probe);
        CountDownLatch inHandler = new CountDownLatch(1);
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        CountDownLatch handlerDone = new CountDownLatch(1);
        node.cast(ref, (Probe.Action) s -> {
            inHandler.countDown();
            try {
                Thread.sleep(60_000);
                interrupted.set(false);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            handlerDone.countDown();
            return null;
        });
        inHandler.await();
        node.kill(ref);
        assertThat(node.isRunning(ref)).isFalse();
        assertThat(handlerDone.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(interrupted.get()).isTrue();
        probe.assertNo(Probe.Terminated.class, 100);
    }

    @Test
    void init_thatThrows_failsStart_andReleasesTheName(Node node) {
        Probe probe = new Probe();
        Probe.Action failing = s -> {
            throw new IllegalArgumentException("bad config");
        };
        StartOptions options = StartOptions.builder().name("svc").args(failing).build();
        assertThatThrownBy(() -> node.start(probe, options))
                .isInstanceOf(InitFailedException.class)
                .hasMessageContaining("bad config")
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(node.names().whereis("svc")).isEmpty();
        assertThat(node.processCount()).isZero();
        GenServerRef again = node.start(new Probe(), StartOptions.builder().name("svc").build());
        assertThat(node.names().whereis("svc")).contains(again);
    }

    @Test
    void init_thatReturnsNull_failsStart(Node node) {
        GenServerBehavior<Object> nullInit = new GenServerBehavior<>() {
            @Override
            public Object init(List<Object> args) {
                return null;
            }

            @Override
            public CallResult<Object> handleCall(Object msg, Object state) {
                return CallResult.reply(null, state);
            }

            @Override
            public Object handleCast(Object msg, Object state) {
                return state;
            }
        };
        assertThatThrownBy(() -> node.start(nullInit)).isInstanceOf(InitFailedException.class)
                .hasMessageContaining("returned null");
    }

    @Test
    void init_thatTakesTooLong_failsAtTheInitTimeout_andTheProcessIsKilled(Node node) {
        Probe.Action slow = s -> {
            Thread.sleep(60_000);
            return null;
        };
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> node.start(new Probe(), StartOptions.builder()
                .initTimeout(Duration.ofMillis(150)).args(slow).name("slow").build()))
                .isInstanceOfSatisfying(InitTimeoutException.class,
                        e -> assertThat(e.timeout()).isEqualTo(Duration.ofMillis(150)));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(140L, 3_000L);
        assertThat(node.processCount()).isZero();
        assertThat(node.names().whereis("slow")).isEmpty();
    }

    @Test
    void messagesSentDuringInit_waitForIt(Node node) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Probe.Action gate = s -> {
            release.await();
            s.count = 100;
            return null;
        };
        CompletableFuture<GenServerRef> starting = CompletableFuture.supplyAsync(
                () -> node.start(new Probe(), StartOptions.builder().name("gated").args(gate).build()));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> node.names().whereis("gated").isPresent());
        GenServerRef byName = new GenServerRef("gated", node.nodeId());
        node.cast(byName, "inc");
        release.countDown();
        starting.get(5, TimeUnit.SECONDS);
        assertThat((int) node.call(byName, "count")).isEqualTo(101);
    }

    @Test
    void startOptions_rejectInvalidValues() {
        assertThatThrownBy(() -> StartOptions.builder().initTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initTimeout");
        assertThatThrownBy(() -> StartOptions.builder().name("<x>").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not start with '<'");
        assertThatThrownBy(() -> StartOptions.builder().name("").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(StartOptions.defaults().initTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(StartOptions.defaults().trapExit()).isFalse();
    }

    @Test
    void selfAndCaller_outsideAProcess_fail() {
        assertThatThrownBy(GenServer::self).isInstanceOf(NotInProcessException.class);
        assertThatThrownBy(GenServer::caller).isInstanceOf(NotInProcessException.class);
    }

    @Test
    void handlerBlockedInANestedCall_doesNotStallOtherProcesses(Node node) throws Exception {
        GenServerRef slow = node.start(new Probe());
        GenServerRef waiter = node.start(new Probe());
        GenServerRef other = node.start(new Probe());
        CountDownLatch release = new CountDownLatch(1);
        node.cast(slow, (Probe.Action) s -> {
            release.await();
            return null;
        });
        CompletableFuture<Object> nested = node.callAsync(waiter,
                (Probe.Action) s -> GenServer.call(slow, (Probe.Action) x -> "from slow", LONG), LONG);
        for (int i = 0; i < 100; i++) {
            node.cast(other, "inc");
        }
        assertThat((int) node.call(other, "count", Duration.ofSeconds(2))).isEqualTo(100);
        assertThat(nested).isNotDone();
        release.countDown();
        assertThat(nested.get(5, TimeUnit.SECONDS)).isEqualTo("from slow");
    }

    @Test
    void tenThousandProcesses_callingEachOtherConcurrently_finishWithoutDeadlock(Node node) throws Exception {
        // Every process calls one with a higher index (so no cycle of waits exists), all at once:
        // thousands of handlers are blocked in nested calls at the same time on 2 cores.
        int n = 10_000;
        List<GenServerRef> refs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            refs.add(node.start(new Probe()));
        }
        java.util.Random random = new java.util.Random(42);
        List<CompletableFuture<Object>> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int j = i + 1 + random.nextInt(50);
            GenServerRef target = j < n ? refs.get(j) : null;
            results.add(node.callAsync(refs.get(i), (Probe.Action) s -> {
                s.count++;
                return target == null ? 0 : GenServer.call(target, (Probe.Action) x -> ++x.count, LONG);
            }, LONG));
        }
        for (CompletableFuture<Object> r : results) {
            assertThat(r.get(30, TimeUnit.SECONDS)).isInstanceOf(Integer.class);
        }
        int total = 0;
        for (GenServerRef r : refs) {
            total += node.<Integer>call(r, "count");
        }
        long nestedCalls = results.stream().filter(f -> (Integer) f.join() > 0).count();
        assertThat(total).isEqualTo(n + nestedCalls);
    }
}
