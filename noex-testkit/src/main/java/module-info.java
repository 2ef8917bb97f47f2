/**
 * noex testkit: run several clustered nodes in one JVM ({@link io.noex.testkit.LocalCluster}) or
 * in separate JVMs ({@link io.noex.testkit.JvmCluster}), and inject network faults between them
 * ({@link io.noex.testkit.FaultProxy}, {@link io.noex.testkit.FaultNetwork}).
 */
module io.noex.testkit {
    requires transitive io.noex.core;
    requires transitive io.noex.distribution;
    // JvmCluster is a JUnit 5 extension (AfterEachCallback), so JUnit's API is part of ours.
    requires transitive org.junit.jupiter.api;

    exports io.noex.testkit;
}
