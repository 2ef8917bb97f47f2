package io.noex.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.distribution.LayerChecker.Component;
import io.noex.distribution.LayerChecker.Module;
import io.noex.distribution.LayerChecker.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A layer never reaches upward (SPEC §2). The first test checks the real main sources of noex-core
 * and noex-distribution against the table in {@link LayerChecker}, whose Javadoc states the rules;
 * the rest check the checker itself on small synthetic sources, so that it is known to catch what it
 * must while the distribution packages are still being written.
 */
class LayeringTest {

    @Test
    void mainSources_neverReachAHigherLayer() {
        Path root = projectRoot();
        assertThat(LayerChecker.sourceFiles(root.resolve("noex-core/src/main/java")))
                .as("noex-core sources must be found, or this test would pass vacuously")
                .isNotEmpty();

        List<Violation> violations = LayerChecker.checkProject(root);

        assertThat(violations)
                .as("layering violations (rules in LayerChecker's Javadoc):%n%s",
                        violations.stream().map(Violation::toString).collect(Collectors.joining("\n")))
                .isEmpty();
    }

    @Test
    void apiTypesOfTheFacadePackage_mayBeUsedByEveryLayer_butFacadesMayNot() {
        java.util.Set<String> api = java.util.Set.of("MessageSerializationException");
        String lower = "package io.noex.distribution.serialization;\n"
                + "import io.noex.distribution.MessageSerializationException;\n"
                + "import io.noex.distribution.Cluster;\n"
                + "import io.noex.distribution.*;\n";
        List<Violation> found = LayerChecker.check(Module.DISTRIBUTION, "Fake.java", lower, api);
        assertThat(found).extracting(Violation::line).containsExactly(3, 4);
        assertThat(LayerChecker.isApiType("package io.noex.distribution;\nimport io.noex.NodeId;\n")).isTrue();
        assertThat(LayerChecker.isApiType("package io.noex.distribution;\nimport io.noex.distribution.remote.X;\n"))
                .isFalse();
    }

    /** The reactor root: {@code -Dnoex.root}, else the nearest directory up from here holding noex-core. */
    static Path projectRoot() {
        String configured = System.getProperty("noex.root");
        if (configured != null) {
            return Paths.get(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isRegularFile(dir.resolve("noex-core/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no directory above " + Paths.get("").toAbsolutePath()
                + " holds pom.xml and noex-core/pom.xml; set -Dnoex.root to the repository root");
    }

    private static List<Violation> check(Module module, String source) {
        return LayerChecker.check(module, "Fake.java", source);
    }

    private static List<Violation> distribution(String pkg, String body) {
        return check(Module.DISTRIBUTION, "package " + pkg + ";\n" + body);
    }

    @Nested
    class Table {

        @ParameterizedTest
        @CsvSource({
                "io.noex, CORE",
                "io.noex.time, CORE",
                "io.noex.spi, CORE",
                "io.noex.anything.new, CORE",
                "io.noex.distribution.transport, TRANSPORT",
                "io.noex.distribution.transport.internal, TRANSPORT",
                "io.noex.distribution.serialization, SERIALIZATION",
                "io.noex.distribution.cluster, CLUSTER",
                "io.noex.distribution.remote, REMOTE",
                "io.noex.distribution.registry, REGISTRY",
                "io.noex.distribution.monitor, MONITOR",
                "io.noex.distribution.supervisor.internal, SUPERVISOR",
                "io.noex.distribution.observer, OBSERVER",
                "io.noex.distribution, FACADE",
                "io.noex.distribution.internal, FACADE"})
        void componentOf_placesEachPackageInItsLayer(String pkg, Component expected) {
            assertThat(LayerChecker.componentOf(pkg)).contains(expected);
        }

        @Test
        void componentOf_whenDistributionPackageIsNotInTable_isEmpty() {
            assertThat(LayerChecker.componentOf("io.noex.distribution.gossip")).isEmpty();
        }

        @Test
        void check_whenPackageIsNotInTable_asksToPlaceIt() {
            assertThat(distribution("io.noex.distribution.gossip", ""))
                    .singleElement()
                    .hasToString("Fake.java:1: package io.noex.distribution.gossip is not in the layer table; "
                            + "give it a place in LayerChecker");
        }
    }

    @Nested
    class Upward {

        @Test
        void check_whenTransportImportsRemote_reportsFileLineAndBothLayers() {
            List<Violation> violations = distribution("io.noex.distribution.transport", """

                    import java.util.List;
                    import io.noex.distribution.remote.RemoteCall;

                    final class Frames {}
                    """);

            assertThat(violations).singleElement().satisfies(v -> {
                assertThat(v.file()).isEqualTo("Fake.java");
                assertThat(v.line()).isEqualTo(4);
                assertThat(v.message()).isEqualTo("package io.noex.distribution.transport (transport, layer 1) "
                        + "must not use io.noex.distribution.remote (remote, layer 3)");
            });
        }

        @Test
        void check_whenFullyQualifiedNameReachesUp_reportsItsLine() {
            List<Violation> violations = distribution("io.noex.distribution.cluster", """
                    final class Membership {
                        /* a block comment
                           spanning lines */
                        Object x = new io.noex.distribution.registry.GlobalRegistry();
                    }
                    """);

            assertThat(violations).singleElement().extracting(Violation::line).isEqualTo(5);
        }

        @Test
        void check_whenCoreImportsDistribution_reportsIt() {
            List<Violation> violations = check(Module.CORE, """
                    package io.noex;
                    import io.noex.spi.RemoteRouter;
                    import io.noex.distribution.Cluster;
                    """);

            assertThat(violations).singleElement().satisfies(v -> {
                assertThat(v.line()).isEqualTo(3);
                assertThat(v.message()).contains("io.noex (core, layer 0)", "io.noex.distribution (facade, layer 5)");
            });
        }

        @Test
        void check_whenCoreFileDeclaresDistributionPackage_reportsModuleRule() {
            assertThat(check(Module.CORE, "package io.noex.distribution.remote;\n"))
                    .extracting(Violation::message)
                    .containsExactly("noex-core holds layer 0 only, but this file is in package "
                            + "io.noex.distribution.remote");
        }

        @Test
        void check_whenDistributionFileDeclaresCorePackage_reportsModuleRule() {
            assertThat(check(Module.DISTRIBUTION, "package io.noex;\n"))
                    .extracting(Violation::message)
                    .containsExactly("noex-distribution holds only io.noex.distribution packages, "
                            + "but this file is in package io.noex");
        }

        @ParameterizedTest
        @CsvSource({
                "io.noex.distribution.remote, io.noex.distribution.Cluster",
                "io.noex.distribution.observer, io.noex.distribution.RemoteCall",
                "io.noex.distribution.remote, io.noex.distribution.internal.Facades",
                "io.noex.distribution.cluster, io.noex.distribution.remote.RemoteCall",
                "io.noex.distribution.remote, io.noex.distribution.monitor.RemoteMonitor",
                "io.noex.distribution.registry, io.noex.distribution.supervisor.DistributedSupervisor",
                "io.noex.distribution.monitor, io.noex.distribution.observer.ClusterObserver",
                "io.noex.distribution.supervisor, io.noex.distribution.observer.ClusterObserver"})
        void check_whenReachingUpOrIntoTheFacade_reportsIt(String from, String imported) {
            assertThat(distribution(from, "import " + imported + ";\n")).hasSize(1);
        }
    }

    @Nested
    class Sideways {

        @ParameterizedTest
        @CsvSource({
                "io.noex.distribution.transport, io.noex.distribution.serialization.Codec",
                "io.noex.distribution.serialization, io.noex.distribution.transport.Frame",
                "io.noex.distribution.registry, io.noex.distribution.monitor.RemoteMonitor",
                "io.noex.distribution.monitor, io.noex.distribution.registry.GlobalRegistry"})
        void check_whenIndependentPeersUseEachOther_reportsIt(String from, String imported) {
            assertThat(distribution(from, "import " + imported + ";\n")).hasSize(1);
        }

        @ParameterizedTest
        @CsvSource({
                "io.noex.distribution.transport, io.noex.NodeId",
                "io.noex.distribution.transport, io.noex.spi.RemoteRouter",
                "io.noex.distribution.transport, io.noex.time.Scheduler",
                "io.noex.distribution.transport.internal, io.noex.distribution.transport.Frame",
                "io.noex.distribution.cluster, io.noex.distribution.transport.Connection",
                "io.noex.distribution.cluster, io.noex.distribution.serialization.Codec",
                "io.noex.distribution.remote, io.noex.distribution.cluster.Membership",
                "io.noex.distribution.registry, io.noex.distribution.remote.RemoteCall",
                "io.noex.distribution.supervisor, io.noex.distribution.registry.GlobalRegistry",
                "io.noex.distribution.supervisor, io.noex.distribution.monitor.RemoteMonitor",
                "io.noex.distribution.observer, io.noex.distribution.supervisor.DistributedSupervisor",
                "io.noex.distribution, io.noex.distribution.observer.ClusterObserver",
                "io.noex.distribution.internal, io.noex.distribution.Cluster"})
        void check_whenUsingWhatTheTableAllows_reportsNothing(String from, String imported) {
            assertThat(distribution(from, "import " + imported + ";\n")).isEmpty();
        }
    }

    @Nested
    class Reading {

        @Test
        void check_whenReferenceIsInAComment_ignoresIt() {
            assertThat(distribution("io.noex.distribution.transport", """
                    // io.noex.distribution.remote.RemoteCall
                    /** See {@link io.noex.distribution.Cluster}. */
                    final class Frames { /* io.noex.distribution.cluster */ }
                    """)).isEmpty();
        }

        @Test
        void check_whenReferenceIsInAString_reportsIt() {
            List<Violation> violations = distribution("io.noex.distribution.transport", """
                    final class Frames {
                        String url = "http://x // io.noex.distribution.remote.RemoteCall";
                        Class<?> c = Class.forName(\"""
                            io.noex.distribution.cluster.Membership\""");
                    }
                    """);

            assertThat(violations).extracting(Violation::line).containsExactly(3, 5);
        }

        @Test
        void check_whenCharLiteralIsAQuote_stillSeesTheCommentAfterIt() {
            assertThat(distribution("io.noex.distribution.transport", """
                    final class Frames { char q = '"'; char e = '\\''; } // io.noex.distribution.remote
                    """)).isEmpty();
        }

        @Test
        void check_whenOneLineRepeatsAReference_reportsItOnce() {
            assertThat(distribution("io.noex.distribution.cluster",
                    "class A { io.noex.distribution.remote.A a; io.noex.distribution.remote.B b; }\n"))
                    .hasSize(1);
        }

        @Test
        void check_whenPackageDeclarationIsMissing_reportsIt() {
            assertThat(check(Module.DISTRIBUTION, "final class Frames {}\n"))
                    .singleElement().hasToString("Fake.java:1: no package declaration");
        }

        @Test
        void withoutComments_keepsLineBreaksAndCode() {
            String source = "a /* x\ny */ b // z\nc";

            assertThat(LayerChecker.withoutComments(source)).isEqualTo("a     \n     b     \nc");
        }
    }
}
