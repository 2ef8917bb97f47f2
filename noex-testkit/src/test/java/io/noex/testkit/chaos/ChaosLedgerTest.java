package io.noex.testkit.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node's ledger and the run's settings: what crosses the command line, and bad input. */
class ChaosLedgerTest {

    @Test
    void aReport_readsBack_withEachViolationOnce_evenWithSpacesAndSeparatorsInIt() {
        ChaosLedger ledger = new ChaosLedger("node1");
        ledger.count("calls.ok");
        ledger.add("casts.sent", 41);
        ledger.count("casts.sent");
        ledger.violation("cast-loss", "seqs 2..3 never arrived | !x= y");

        ChaosLedger.Report first = ChaosLedger.parse(ledger.report());
        ChaosLedger.Report second = ChaosLedger.parse(ledger.report());

        assertThat(first.counters()).containsAllEntriesOf(Map.of("calls.ok", 1L, "casts.sent", 42L, "violation.cast-loss", 1L));
        assertThat(first.violations()).containsExactly("node1: cast-loss: seqs 2..3 never arrived | !x= y");
        assertThat(second.violations()).isEmpty();
        assertThat(second.counters()).isEqualTo(first.counters());
    }

    @Test
    void violationsBeyondTheQueue_areCounted_notKept() {
        ChaosLedger ledger = new ChaosLedger("n");
        for (int i = 0; i < ChaosLedger.MAX_QUEUED + 50; i++) {
            ledger.violation("call-late", "#" + i);
        }
        ChaosLedger.Report r = ChaosLedger.parse(ledger.report());
        assertThat(r.violations()).hasSize(ChaosLedger.MAX_QUEUED);
        assertThat(r.counters()).containsEntry("violation.call-late", (long) ChaosLedger.MAX_QUEUED + 50);
    }

    @Test
    void aLineThatIsNotAReport_isRefusedClearly() {
        assertThatThrownBy(() -> ChaosLedger.parse("calls.ok=1 garbage"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("garbage");
    }

    @Test
    void settings_comeFromTheProperties_andMalformedOnesAreNamed() {
        ChaosSettings s = ChaosSettings.from(Map.of(ChaosSettings.DURATION_PROPERTY, "PT30M", ChaosSettings.SEED_PROPERTY, "42")::get);
        assertThat(s.duration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.seed()).isEqualTo(42);
        assertThat(s.repeatCommand()).contains("-Dnoex.chaos.duration=PT30M", "-Dnoex.chaos.seed=42");
        assertThat(ChaosSettings.from(k -> null).duration()).isEqualTo(ChaosSettings.DEFAULT_DURATION);

        assertThatThrownBy(() -> ChaosSettings.from(Map.of(ChaosSettings.DURATION_PROPERTY, "30 minutes")::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ChaosSettings.DURATION_PROPERTY);
        assertThatThrownBy(() -> ChaosSettings.from(Map.of(ChaosSettings.DURATION_PROPERTY, "PT0S")::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> ChaosSettings.from(Map.of(ChaosSettings.SEED_PROPERTY, "forty-two")::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ChaosSettings.SEED_PROPERTY);
    }
}
