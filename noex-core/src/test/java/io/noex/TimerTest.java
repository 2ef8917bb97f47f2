package io.noex;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.time.ManualScheduler;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TimerTest {

    private final ManualScheduler time = new ManualScheduler();
    private final Node node = Node.builder().name("timers").scheduler(time).build();

    @AfterEach
    void close() {
        node.close();
        assertThat(node.stats().timers()).isZero();
    }

    @Test
    void sendAfter_deliversWhenTheDelayHasPassed_notBefore() throws Exception {
        Probe probe = new Probe();
        GenServerRef ref = node.start(probe);
        node.sendAfter(ref, "tick", Duration.ofSeconds(30));
        time.advance(Duration.ofSeconds(29));
        probe.assertNo(String.class, 50);
        time.advance(Duration.ofSeconds(1));
        assertThat(probe.next(String.class)).isEqualTo("tick");
        assertThat(node.stats().timers()).isZero();
    }

    @Test
    void cancelTimer_beforeItFires_preventsTheMessage() throws Exception {
        Probe probe = new Probe();
        GenServerRef ref = node.start(probe);
        TimerRef t = node.sendAfter(ref, "never", Duration.ofSeconds(5));
        assertThat(node.cancelTimer(t)).isTrue();
        assertThat(node.cancelTimer(t)).isFalse();
        time.advance(Duration.ofSeconds(10));
        node.send(ref, "marker");
        assertThat(probe.next(String.class)).isEqualTo("marker");
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void aTimerIsCancelledWhenItsTargetExits() {
        GenServerRef ref = node.start(new Probe());
        node.sendAfter(ref, "late", Duration.ofMinutes(5));
        assertThat(node.stats().timers()).isEqualTo(1);
        node.stop(ref);
        assertThat(node.stats().timers()).isZero();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void sendAfter_toADeadProcess_doesNothing() {
        GenServerRef ref = node.start(new Probe());
        node.stop(ref);
        node.sendAfter(ref, "x", Duration.ofSeconds(1));
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void sendAfter_fromInsideAProcess_toItself() throws Exception {
        Probe probe = new Probe();
        GenServerRef ref = node.start(probe);
        node.call(ref, (Probe.Action) s -> GenServer.sendAfter(GenServer.self(), "self-tick", Duration.ofMillis(100)));
        time.advance(Duration.ofMillis(100));
        assertThat(probe.next(String.class)).isEqualTo("self-tick");
    }
}
