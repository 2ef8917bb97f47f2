package io.noex.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RestartIntensityTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsMaxRestartsWithinTheWindow_andRefusesTheNext() {
        RestartIntensity i = new RestartIntensity(3, 5 * SECOND);
        assertThat(i.tryRestart(0)).isTrue();
        assertThat(i.tryRestart(SECOND)).isTrue();
        assertThat(i.tryRestart(2 * SECOND)).isTrue();
        assertThat(i.tryRestart(3 * SECOND)).isFalse();
    }

    @Test
    void forgetsRestartsOlderThanTheWindow() {
        RestartIntensity i = new RestartIntensity(2, 5 * SECOND);
        assertThat(i.tryRestart(0)).isTrue();
        assertThat(i.tryRestart(SECOND)).isTrue();
        assertThat(i.tryRestart(5 * SECOND + 1)).isTrue(); // the restart at 0 has left the window
        assertThat(i.recent()).isEqualTo(2);
        assertThat(i.tryRestart(6 * SECOND + 2)).isTrue();
        assertThat(i.recent()).isEqualTo(2);
    }

    @Test
    void zeroMeansNoRestartIsAllowed() {
        assertThat(new RestartIntensity(0, SECOND).tryRestart(0)).isFalse();
    }
}
