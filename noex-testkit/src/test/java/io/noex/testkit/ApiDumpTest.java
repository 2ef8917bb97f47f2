package io.noex.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each library module's public API is written down in {@code api/<module>.txt} at the repository
 * root, and this test fails when a file no longer matches the compiled classes (STYLE "The public API
 * is written down and diffed"). After a deliberate API change, run it with
 * {@code -Dnoex.api.update=true} (the full command is in each file's header and in the failure
 * message); it then rewrites the files, to be committed with the change. The format is described in
 * {@link ApiDump} and {@link ApiSignatures}; the tests below pin it on the types of {@link ApiDumpFixtures}.
 *
 * <p>It lives in noex-testkit because that module's test class path holds noex-core and
 * noex-distribution as well as the testkit itself.
 */
class ApiDumpTest {

    @ParameterizedTest
    @ValueSource(strings = {"noex-core", "noex-distribution", "noex-testkit"})
    void apiFile_matchesTheCompiledPublicApi(String module) throws IOException {
        Path root = projectRoot();
        Path classes = root.resolve(module).resolve("target/classes");
        if (hasFiles(root.resolve(module).resolve("src/main/java"), ".java") && !hasFiles(classes, ".class")) {
            fail(module + " has sources but no classes in " + classes
                    + "; build it first, through the reactor: mvn -o test -pl noex-testkit -am");
        }
        String current = ApiDump.dump(module, classes, ApiDumpTest.class.getClassLoader());
        Path file = root.resolve("api").resolve(module + ".txt");

        if (Boolean.getBoolean(ApiDump.UPDATE_PROPERTY)) {
            ApiDump.write(file, current);
            return;
        }
        Optional<String> problem = ApiDump.compare("api/" + module + ".txt", ApiDump.read(file), current);
        if (problem.isPresent()) {
            fail(problem.get());
        }
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

    private static boolean hasFiles(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(f -> f.toString().endsWith(suffix) && !f.endsWith("module-info" + suffix));
        }
    }

    /** Public, but not API: its enclosing class is package-private. */
    public static final class Hidden {
    }

    @Nested
    class Rendering {

        @Test
        void render_whenClassIsGenericAndAbstract_writesPublicAndProtectedMembersByName() {
            assertThat(ApiSignatures.render(ApiDumpFixtures.Base.class)).containsExactly(
                    "public abstract static class io.noex.testkit.ApiDumpFixtures.Base<T extends java.lang.Comparable<T>>"
                            + " implements java.lang.Comparable<io.noex.testkit.ApiDumpFixtures.Base<T>>",
                    "  public static final int LIMIT",
                    "  protected java.lang.String label",
                    "  protected Base(java.lang.String) throws java.io.IOException, java.lang.IllegalStateException",
                    "  public Base()",
                    "  public int compareTo(io.noex.testkit.ApiDumpFixtures.Base<T>)",
                    "  public static <E> java.util.List<? extends E> list(E...)",
                    "  public abstract java.util.Optional<? super T> lower()",
                    "  @Deprecated public void old()");
        }

        @Test
        void render_whenInterfaceIsSealed_listsPublicPermitsAndCountsTheOthers() {
            assertThat(ApiSignatures.render(ApiDumpFixtures.Shape.class)).containsExactly(
                    "public sealed interface io.noex.testkit.ApiDumpFixtures.Shape permits "
                            + "io.noex.testkit.ApiDumpFixtures.OpenShape, io.noex.testkit.ApiDumpFixtures.Shape.Circle, "
                            + "io.noex.testkit.ApiDumpFixtures.Shape.Square (+1 non-public)",
                    "  public abstract double area()",
                    "  public default java.lang.String describe()",
                    "  public static io.noex.testkit.ApiDumpFixtures.Shape unit()");
        }

        @Test
        void render_whenClassExtendsASealedType_saysNonSealed() {
            assertThat(ApiSignatures.render(ApiDumpFixtures.OpenShape.class)).containsExactly(
                    "public abstract static non-sealed class io.noex.testkit.ApiDumpFixtures.OpenShape"
                            + " implements io.noex.testkit.ApiDumpFixtures.Shape",
                    "  public OpenShape()");
        }

        @Test
        void render_whenTypeIsRecord_writesComponentsAndTheMembersCallersUse() {
            assertThat(ApiSignatures.render(ApiDumpFixtures.Shape.Circle.class)).containsExactly(
                    "public record io.noex.testkit.ApiDumpFixtures.Shape.Circle(double radius)"
                            + " implements io.noex.testkit.ApiDumpFixtures.Shape",
                    "  public Circle(double)",
                    "  public double area()",
                    "  public final boolean equals(java.lang.Object)",
                    "  public final int hashCode()",
                    "  public double radius()",
                    "  public final java.lang.String toString()");
        }

        @Test
        void render_whenTypeIsEnum_listsConstantsInDeclarationOrderAndIsNotSealed() {
            assertThat(ApiSignatures.render(ApiDumpFixtures.Level.class)).containsExactly(
                    "public enum io.noex.testkit.ApiDumpFixtures.Level",
                    "  constant LOW",
                    "  constant HIGH",
                    "  constant MEDIUM",
                    "  public static final java.lang.String UNIT",
                    "  public static io.noex.testkit.ApiDumpFixtures.Level valueOf(java.lang.String)",
                    "  public static io.noex.testkit.ApiDumpFixtures.Level[] values()");
        }

        @Test
        void render_whenInterfaceIsFunctional_saysSoAndWritesThrows() {
            assertThat(ApiSignatures.render(ApiDumpFixtures.Callback.class)).containsExactly(
                    "@FunctionalInterface public interface io.noex.testkit.ApiDumpFixtures.Callback<T>",
                    "  public abstract void on(T) throws java.lang.Exception");
        }

        @Test
        void render_whenTypeIsAnnotation_writesItsElements() {
            assertThat(ApiSignatures.render(ApiDumpFixtures.Marker.class)).containsExactly(
                    "public @interface io.noex.testkit.ApiDumpFixtures.Marker",
                    "  public abstract java.lang.String value()");
        }

        @Test
        void isApi_whenAnEnclosingTypeIsNotPublic_isFalse() {
            assertThat(ApiSignatures.isApi(ApiDumpTest.class)).isFalse();
            assertThat(ApiSignatures.isApi(Hidden.class)).as("public, but inside a package-private class").isFalse();
            assertThat(ApiSignatures.isApi(ApiDumpFixtures.Shape.Circle.class)).isTrue();
            assertThat(ApiSignatures.isApi(ApiDumpFixtures.Blob.class)).isFalse();
        }
    }

    @Nested
    class Comparing {

        @Test
        void compare_whenTextIsTheSame_reportsNothing() {
            assertThat(ApiDump.compare("api/x.txt", Optional.of("a\r\nb\r\n"), "a\nb\n")).isEmpty();
        }

        @Test
        void compare_whenFileIsMissing_saysHowToWriteIt() {
            assertThat(ApiDump.compare("api/x.txt", Optional.empty(), "a\n")).get().asString()
                    .contains("api/x.txt does not exist", "-Dnoex.api.update=true");
        }

        @Test
        void compare_whenLinesChanged_listsThemByTypeAndSaysHowToUpdate() {
            String message = ApiDump.compare("api/x.txt",
                    Optional.of("public final class a.B\n  public void a()\n  public void c()\n"),
                    "public final class a.B\n  public void b()\n  public void c()\n").orElseThrow();

            assertThat(message).startsWith("api/x.txt is stale: the public API changed.\n"
                            + "in a.B:\n-   public void a()\n+   public void b()\n")
                    .doesNotContain("void c()")
                    .contains(ApiDump.UPDATE_COMMAND);
        }
    }
}
