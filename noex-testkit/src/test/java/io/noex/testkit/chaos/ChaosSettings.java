package io.noex.testkit.chaos;

import io.noex.testkit.JvmNodeOptions;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The settings of one chaos run. Duration and seed come from system properties
 * ({@value #DURATION_PROPERTY}, an ISO-8601 duration such as {@code PT30M}; {@value #SEED_PROPERTY},
 * a long); everything else is fixed here, so every run is described by its duration and seed.
 *
 * <table class="striped">
 *   <caption>Fixed settings</caption>
 *   <tbody>
 *     <tr><td>nodes</td><td>{@value #NODES} JVMs, each behind its fault proxy</td></tr>
 *     <tr><td>heartbeats</td><td>every {@value #HEARTBEAT_MILLIS} ms, down after
 *         {@value #HEARTBEAT_MISSES} missed (1 s of silence); redial after 100 ms, at most 1 s</td></tr>
 *     <tr><td>calls</td><td>per ordered pair of nodes: one blocking caller (a call every
 *         {@value #CALL_PAUSE_MILLIS} ms) and up to {@value #ASYNC_IN_FLIGHT} asynchronous calls in
 *         flight (one issued every {@value #CALL_PAUSE_MILLIS} ms); timeout
 *         {@value #CALL_TIMEOUT_MILLIS} ms</td></tr>
 *     <tr><td>casts</td><td>per ordered pair: {@value #CAST_BURST} every {@value #CAST_PAUSE_MILLIS} ms</td></tr>
 *     <tr><td>registry</td><td>per node: one operation every {@value #REGISTRY_PAUSE_MILLIS} ms</td></tr>
 *     <tr><td>bounds</td><td>each JVM's heap after a full GC at most {@value #HEAP_BOUND_MIB} MiB, its
 *         live platform threads at most {@value #THREAD_BOUND}</td></tr>
 *   </tbody>
 * </table>
 *
 * @param duration how long faults are injected (the run takes longer: start, the last checkpoint)
 * @param seed the script's seed
 */
record ChaosSettings(Duration duration, long seed) {

    static final String DURATION_PROPERTY = "noex.chaos.duration";
    static final String SEED_PROPERTY = "noex.chaos.seed";
    static final Duration DEFAULT_DURATION = Duration.ofSeconds(60);

    static final int NODES = 5;
    static final long HEARTBEAT_MILLIS = 250;
    static final int HEARTBEAT_MISSES = 4;
    static final long CALL_TIMEOUT_MILLIS = 2000;
    static final long CALL_PAUSE_MILLIS = 50;
    static final int ASYNC_IN_FLIGHT = 4;
    static final long CAST_PAUSE_MILLIS = 20;
    static final int CAST_BURST = 2;
    static final long REGISTRY_PAUSE_MILLIS = 100;
    static final long HEAP_BOUND_MIB = 64;
    static final int THREAD_BOUND = 64;

    /**
     * @return the settings the system properties give, with a random seed if none is given
     * @throws IllegalArgumentException naming the property that is malformed
     */
    static ChaosSettings fromSystemProperties() {
        return from(System::getProperty);
    }

    /**
     * @param properties looks a property up (null if absent)
     * @return the settings those properties give, with a random seed if none is given
     * @throws IllegalArgumentException naming the property that is malformed
     */
    static ChaosSettings from(java.util.function.UnaryOperator<String> properties) {
        String d = properties.apply(DURATION_PROPERTY);
        Duration duration;
        try {
            duration = d == null || d.isBlank() ? DEFAULT_DURATION : Duration.parse(d.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(DURATION_PROPERTY + ": '" + d + "' is not an ISO-8601 duration such as PT30M", e);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(DURATION_PROPERTY + ": " + duration + " must be positive");
        }
        String s = properties.apply(SEED_PROPERTY);
        long seed;
        try {
            seed = s == null || s.isBlank() ? ThreadLocalRandom.current().nextLong() : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SEED_PROPERTY + ": '" + s + "' is not a long", e);
        }
        return new ChaosSettings(duration, seed);
    }

    /** @return the options every node starts with */
    JvmNodeOptions nodeOptions() {
        return JvmNodeOptions.builder()
                .heartbeatInterval(Duration.ofMillis(HEARTBEAT_MILLIS))
                .heartbeatMissThreshold(HEARTBEAT_MISSES)
                .reconnectBaseDelay(Duration.ofMillis(100))
                .reconnectMaxDelay(Duration.ofSeconds(1))
                .setup(ChaosNode.class)
                .build();
    }

    /** @return the load settings of the {@code start} command */
    String loadSettings() {
        return "callTimeoutMs=" + CALL_TIMEOUT_MILLIS + " callPauseMs=" + CALL_PAUSE_MILLIS + " asyncInFlight="
                + ASYNC_IN_FLIGHT + " castPauseMs=" + CAST_PAUSE_MILLIS + " castBurst=" + CAST_BURST
                + " registryPauseMs=" + REGISTRY_PAUSE_MILLIS;
    }

    /** @return the command that repeats this run */
    String repeatCommand() {
        return "mvn -B -o verify -pl noex-testkit -am -Dtest=ChaosTest -Dsurefire.failIfNoSpecifiedTests=false -D"
                + DURATION_PROPERTY + "=" + duration + " -D" + SEED_PROPERTY + "=" + seed;
    }
}
