package io.noex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NodeLeakCheck.class)
@Timeout(30)
class MonitorTest {

    @Test
    void monitor_deliversDownWithTheRealReason(Node node) throws Exception {
        Probe watcher = new Probe();
        GenServerRef w = node.start(watcher);
        GenServerRef target = node.start(new Probe());
        MonitorRef m = node.monitor(w, target);
        node.cast(target, (Probe.Action) s -> {
            throw new IllegalStateException("gone");
        });
        Down down = watcher.next(Down.class);
        assertThat(down.monitorRef()).isEqualTo(m);
        assertThat(down.ref()).isEqualTo(target);
        assertThat(down.reason()).isInstanceOfSatisfying(ExitReason.Error.class,
                e -> assertThat(e.message()).contains("gone"));
        watcher.assertNo(Down.class, 100);
    }

    @Test
    void monitor_onADeadRef_getsNoprocAtOnce(Node node) throws Exception {
        Probe watcher = new Probe();
        GenServerRef w = node.start(watcher);
        GenServerRef target = node.start(new Probe());
        node.stop(target);
        node.monitor(w, target);
        assertThat(watcher.next(Down.class).reason()).isEqualTo(ExitReason.noproc());
        node.monitor(w, new GenServerRef("never-registered", node.nodeId()));
        Down byName = watcher.next(Down.class);
        assertThat(byName.reason()).isEqualTo(ExitReason.noproc());
        assertThat(byName.ref().id()).isEqualTo("never-registered");
    }

    @Test
    void monitor_fromInsideAProcess_usesItAsTheWatcher(Node node) throws Exception {
        Probe watcher = new Probe();
        GenServerRef w = node.start(watcher);
        GenServerRef target = node.start(new Probe());
        MonitorRef m = node.call(w, (Probe.Action) s -> GenServer.monitor(target));
        node.stop(target, ExitReason.shutdown());
        Down down = watcher.next(Down.class);
        assertThat(down.monitorRef()).isEqualTo(m);
        assertThat(down.reason()).isEqualTo(ExitReason.shutdown());
    }

    @Test
    void demonitor_stopsDelivery_evenOfADownAlreadyQueued(Node node) throws Exception {
        Probe watcher = new Probe();
        GenServerRef w = node.start(watcher);
        GenServerRef target = node.start(new Probe());
        CountDownLatch release = new CountDownLatch(1);
        MonitorRef m = node.monitor(w, target);
        // Hold the watcher busy so the Down is queued behind this callback, then demonitor.
        node.cast(w, (Probe.Action) s -> {
            release.await();
            return null;
        });
        node.stop(target);
        node.send(w, (Probe.Action) s -> {
            GenServer.demonitor(m);
            return null;
        });
        release.countDown();
        node.send(w, "marker");
        assertThat(watcher.next(String.class)).isEqualTo("marker");
        watcher.assertNo(Down.class, 100);
    }

    @Test
    void demonitor_beforeTheTargetExits_removesTheMonitorEverywhere(Node node) throws Exception {
        Probe watcher = new Probe();
        GenServerRef w = node.start(watcher);
        GenServerRef target = node.start(new Probe());
        MonitorRef m = node.monitor(w, target);
        assertThat(node.stats().monitors()).isEqualTo(1);
        assertThat(node.demonitor(m)).isTrue();
        assertThat(node.demonitor(m)).isFalse();
        assertThat(node.stats().monitors()).isZero();
        node.stop(target);
        watcher.assertNo(Down.class, 100);
    }

    @Test
    void monitorSetUpWhileTheTargetDies_firesExactlyOnce(Node node) throws Exception {
        int rounds = 300;
        AtomicInteger fired = new AtomicInteger();
        for (int round = 0; round < rounds; round++) {
            GenServerRef target = node.start(new Probe());
            CountDownLatch done = new CountDownLatch(1);
            Thread killer = Thread.ofPlatform().start(() -> node.kill(target));
            node.monitor(target, (ref, reason) -> {
                fired.incrementAndGet();
                done.countDown();
            });
            killer.join();
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        }
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> fired.get() == rounds);
        assertThat(node.stats().monitors()).isZero();
    }

    @Test
    void callbackMonitor_runsOnceOffTheExitingThread_andItsExceptionIsContained(Node node) throws Exception {
        GenServerRef target = node.start(new Probe());
        LinkedBlockingQueue<Object> seen = new LinkedBlockingQueue<>();
        node.monitor(target, (ref, reason) -> {
            seen.add(reason);
            throw new IllegalStateException("callback bug");
        });
        node.monitor(target, (ref, reason) -> seen.add(Thread.currentThread().isVirtual()));
        node.stop(target);
        List<Object> got = new ArrayList<>();
        got.add(seen.poll(5, TimeUnit.SECONDS));
        got.add(seen.poll(5, TimeUnit.SECONDS));
        assertThat(got).containsExactlyInAnyOrder(ExitReason.normal(), true);
        assertThat(node.processCount()).isZero();
    }

    @Test
    void aWatcherThatExits_takesItsMonitorsWithIt(Node node) {
        GenServerRef target = node.start(new Probe());
        for (int i = 0; i < 100; i++) {
            GenServerRef w = node.start(new Probe());
            node.monitor(w, target);
            node.stop(w);
        }
        assertThat(node.stats().monitors()).isZero();
        assertThat(node.isRunning(target)).isTrue();
    }

    @Test
    void tenThousandMonitorDemonitorCycles_leaveNoTrace(Node node) {
        GenServerRef w = node.start(new Probe());
        GenServerRef target = node.start(new Probe());
        for (int i = 0; i < 10_000; i++) {
            MonitorRef m = node.monitor(w, target);
            node.demonitor(m);
        }
        assertThat(node.stats().monitors()).isZero();
    }
}
