package io.noex.testkit.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.noex.testkit.JvmCluster;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chaos suite: {@value ChaosSettings#NODES} JVM nodes under steady call, cast and registry
 * load while a seeded script kills and restarts, freezes, partitions, delays and disconnects them
 * ({@link ChaosRun}, {@link ChaosScript}); every invariant violation fails it, with the seed. In
 * CI it injects faults for {@link ChaosSettings#DEFAULT_DURATION}; a long run:
 * <pre>
 * mvn -B -o verify -pl noex-testkit -am -Dtest=ChaosTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dnoex.chaos.duration=PT30M [-Dnoex.chaos.seed=42]
 * </pre>
 * The figures are printed on lines starting {@code NOEX-MEASURE chaos}.
 */
class ChaosTest {

    @RegisterExtension
    final JvmCluster cluster = JvmCluster.builder().behindFaultProxies().startTimeout(Duration.ofSeconds(60)).build();

    @Test
    @Timeout(value = 24, unit = TimeUnit.HOURS) // the real limit is the duration's, below
    void fiveNodesUnderLoadAndFaults_keepEveryInvariant() {
        ChaosSettings settings = ChaosSettings.fromSystemProperties();
        System.out.println("chaos: seed " + settings.seed() + ", duration " + settings.duration() + "; repeat with: "
                + settings.repeatCommand());
        ChaosRun run = new ChaosRun(settings, cluster);
        ChaosReport report;
        try {
            // Faults for the duration, then one round's checkpoint and the end: 3 min is ample.
            report = assertTimeoutPreemptively(settings.duration().plus(Duration.ofMinutes(3)), run::run);
        } catch (RuntimeException | AssertionError e) {
            System.out.print(run.report().format());
            throw new AssertionError("the chaos run with seed " + settings.seed() + " failed: " + e.getMessage()
                    + "\nviolations so far: " + run.report().violations() + "\nrepeat with: " + settings.repeatCommand(), e);
        }
        System.out.print(report.format());

        assertThat(report.violations())
                .as("invariant violations of the chaos run with seed %d (repeat with: %s)", settings.seed(),
                        settings.repeatCommand())
                .isEmpty();
        assertThat(report.rounds()).as("rounds of faults").isPositive();
        assertThat(report.totals()).as("operations").containsKeys("calls.ok", "casts.received", "monitors.set",
                "links.set", "registry.register");
    }
}
