package io.noex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NodeLeakCheck.class)
@Timeout(30)
class LinkTest {

    private static final Probe.Action CRASH = s -> {
        throw new IllegalStateException("crash");
    };

    private static StartOptions trapping() {
        return StartOptions.builder().trapExit(true).build();
    }

    @Test
    void abnormalExit_killsALinkedProcessThatDoesNotTrapExits(Node node) {
        GenServerRef a = node.start(new Probe());
        GenServerRef b = node.start(new Probe());
        node.link(a, b);
        node.cast(a, CRASH);
        await().atMost(Duration.ofSeconds(5)).until(() -> !node.isRunning(b));
        assertThat(node.isRunning(a)).isFalse();
    }

    @Test
    void cascadeOverThree_stopsAtTheMiddleProcessThatTrapsExits(Node node) throws Exception {
        Probe middle = new Probe();
        GenServerRef a = node.start(new Probe());
        GenServerRef b = node.start(middle, trapping());
        GenServerRef c = node.start(new Probe());
        node.link(a, b);
        node.link(b, c);
        node.cast(a, CRASH);
        Exit exit = middle.next(Exit.class);
        assertThat(exit.from()).isEqualTo(a);
        assertThat(exit.reason()).isInstanceOf(ExitReason.Error.class);
        assertThat(node.isRunning(a)).isFalse();
        assertThat(node.isRunning(b)).isTrue();
        assertThat(node.isRunning(c)).isTrue();
        // b now crashes itself: c, linked and not trapping, dies with b's reason.
        node.cast(b, CRASH);
        await().atMost(Duration.ofSeconds(5)).until(() -> !node.isRunning(c));
    }

    @Test
    void cascadeOverThree_withoutTrapping_killsAll(Node node) {
        GenServerRef a = node.start(new Probe());
        GenServerRef b = node.start(new Probe());
        GenServerRef c = node.start(new Probe());
        node.link(a, b);
        node.link(b, c);
        Probe watcher = new Probe();
        GenServerRef w = node.start(watcher);
        node.monitor(w, c);
        node.cast(a, CRASH);
        await().atMost(Duration.ofSeconds(5)).until(() -> !node.isRunning(c));
        assertThat(node.isRunning(b)).isFalse();
        assertThat(node.processCount()).isEqualTo(1);
    }

    @Test
    void deathByLink_carriesTheOriginalReason_andSkipsTerminate(Node node) throws Exception {
        Probe watcher = new Probe();
        GenServerRef w = node.start(watcher);
        Probe victimProbe = new Probe();
        GenServerRef a = node.start(new Probe());
        GenServerRef victim = node.start(victimProbe);
        node.link(a, victim);
        node.monitor(w, victim);
        node.cast(a, CRASH);
        Down down = watcher.next(Down.class);
        assertThat(down.reason()).isInstanceOfSatisfying(ExitReason.Error.class,
                e -> assertThat(e.message()).contains("crash"));
        victimProbe.assertNo(Probe.Terminated.class, 100);
    }

    @Test
    void normalExit_doesNotKillLinkedProcesses_butTrappersAreTold(Node node) throws Exception {
        Probe trapper = new Probe();
        GenServerRef a = node.start(new Probe());
        GenServerRef b = node.start(new Probe());
        GenServerRef t = node.start(trapper, trapping());
        node.link(a, b);
        node.link(a, t);
        node.stop(a);
        Exit exit = trapper.next(Exit.class);
        assertThat(exit.reason()).isEqualTo(ExitReason.normal());
        assertThat(node.isRunning(b)).isTrue();
    }

    @Test
    void kill_propagatesAsKilled(Node node) throws Exception {
        Probe trapper = new Probe();
        GenServerRef a = node.start(new Probe());
        GenServerRef t = node.start(trapper, trapping());
        node.link(a, t);
        node.kill(a);
        assertThat(trapper.next(Exit.class).reason()).isEqualTo(ExitReason.killed());
    }

    @Test
    void unlink_stopsPropagation(Node node) {
        GenServerRef a = node.start(new Probe());
        GenServerRef b = node.start(new Probe());
        node.link(a, b);
        node.unlink(b, a);
        node.cast(a, CRASH);
        await().atMost(Duration.ofSeconds(5)).until(() -> !node.isRunning(a));
        assertThat(node.isRunning(b)).isTrue();
    }

    @Test
    void linkToAProcessThatIsNotRunning_failsClearly(Node node) {
        GenServerRef a = node.start(new Probe());
        GenServerRef dead = node.start(new Probe());
        node.stop(dead);
        assertThatThrownBy(() -> node.link(a, dead))
                .isInstanceOfSatisfying(ServerNotRunningException.class, e -> assertThat(e.server()).isEqualTo(dead));
        assertThat(node.isRunning(a)).isTrue();
    }

    @Test
    void linkingTwiceOrToItself_doesNothingMore(Node node) {
        GenServerRef a = node.start(new Probe());
        GenServerRef b = node.start(new Probe());
        node.link(a, b);
        node.link(b, a);
        node.link(a, a);
        node.unlink(a, b);
        node.cast(a, CRASH);
        await().atMost(Duration.ofSeconds(5)).until(() -> !node.isRunning(a));
        assertThat(node.isRunning(b)).isTrue();
    }

    @Test
    void startLink_linksTheNewProcessToTheCaller(Node node) throws Exception {
        Probe parent = new Probe();
        GenServerRef p = node.start(parent, trapping());
        GenServerRef child = node.call(p, (Probe.Action) s -> GenServer.startLink(new Probe(), StartOptions.defaults()));
        node.cast(child, CRASH);
        assertThat(parent.next(Exit.class).from()).isEqualTo(child);
    }

    @Test
    void thousandsOfLinkUnlinkCycles_leaveNoTrace(Node node) {
        GenServerRef a = node.start(new Probe());
        GenServerRef b = node.start(new Probe());
        for (int i = 0; i < 10_000; i++) {
            node.link(a, b);
            node.unlink(a, b);
        }
        ServerProcess pa = node.table().get(a.id());
        assertThat(pa.signalCounts()).containsEntry("links", 0);
    }
}
