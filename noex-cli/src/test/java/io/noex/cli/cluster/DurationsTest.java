package io.noex.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parse_readsShortFormsAndIso() {
        assertThat(Durations.parse("250ms")).contains(Duration.ofMillis(250));
        assertThat(Durations.parse("5s")).contains(Duration.ofSeconds(5));
        assertThat(Durations.parse("1.5s")).contains(Duration.ofMillis(1500));
        assertThat(Durations.parse("2m")).contains(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).contains(Duration.ofHours(1));
        assertThat(Durations.parse("PT3S")).contains(Duration.ofSeconds(3));
        assertThat(Durations.parse("soon")).isEmpty();
        assertThat(Durations.parse("5 s")).isEmpty();
    }

    @Test
    void typed_isWholeSecondsOrMilliseconds() {
        assertThat(Durations.typed(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(Durations.typed(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }

    @Test
    void uptime_showsTheTwoLargestUnits() {
        assertThat(Durations.uptime(Duration.ofSeconds(12))).isEqualTo("12s");
        assertThat(Durations.uptime(Duration.ofSeconds(187))).isEqualTo("3m 07s");
        assertThat(Durations.uptime(Duration.ofMinutes(125))).isEqualTo("2h 05m");
        assertThat(Durations.uptime(Duration.ofHours(99))).isEqualTo("4d 03h");
        assertThat(Durations.age(Duration.ofMillis(340))).isEqualTo("0.3s");
    }
}
