package io.noex.testkit.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The script: repeatable from its seed, and within its stated limits over many rounds. */
class ChaosScriptTest {

    private static final List<String> NODES = List.of("node0", "node1", "node2", "node3", "node4");

    private static List<ChaosScript.Round> rounds(long seed, int n) {
        ChaosScript script = new ChaosScript(seed, NODES);
        List<ChaosScript.Round> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(script.next());
        }
        return out;
    }

    @Test
    void theSameSeed_givesTheSameRounds_andAnotherSeedOthers() {
        assertThat(rounds(42, 50)).isEqualTo(rounds(42, 50));
        assertThat(rounds(42, 50)).isNotEqualTo(rounds(43, 50));
    }

    @Test
    void everyRound_keepsTheScriptsLimits_andEveryKindOccurs() {
        Set<Class<?>> kinds = new HashSet<>();
        for (ChaosScript.Round r : rounds(7, 2000)) {
            assertThat(r.faults()).hasSizeBetween(1, 2);
            assertThat(r.hold()).isBetween(Duration.ofMillis(1500), Duration.ofMillis(4000));
            List<String> stopped = r.faults().stream().flatMap(f -> f.stopped().stream()).toList();
            assertThat(stopped).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(2);
            if (r.faults().size() == 2) {
                assertThat(r.faults().get(0).getClass()).isNotEqualTo(r.faults().get(1).getClass());
            }
            for (Fault f : r.faults()) {
                kinds.add(f.getClass());
                switch (f) {
                    case Fault.Partition p -> {
                        assertThat(p.sideA()).isNotEmpty();
                        assertThat(p.sideB()).isNotEmpty();
                        Set<String> all = new HashSet<>(p.sideA());
                        all.addAll(p.sideB());
                        assertThat(all).containsExactlyInAnyOrderElementsOf(NODES);
                        assertThat(r.faults()).allMatch(o -> o == f || o instanceof Fault.Delay || o instanceof Fault.KillTarget);
                    }
                    case Fault.Delay d -> {
                        assertThat(d.a()).isNotEqualTo(d.b());
                        assertThat(d.delay()).isBetween(Duration.ofMillis(50), Duration.ofMillis(800));
                    }
                    default -> { }
                }
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder(Fault.Kill.class, Fault.Freeze.class, Fault.Partition.class,
                Fault.Delay.class, Fault.Drop.class, Fault.KillTarget.class);
    }

    @Test
    void fewerThanThreeNodes_areRefused() {
        assertThatThrownBy(() -> new ChaosScript(1, List.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 3 nodes");
    }
}
