package io.noex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK search of {@code bin/noex} ({@code bin/lib/find-jdk.bash}), run with bash against fake
 * JDK folders. None of these runs reaches the build or a JVM: the search is what is tested.
 */
@DisabledOnOs(OS.WINDOWS)
class LauncherScriptTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();

    @TempDir
    Path jdks;

    @Test
    void noex_whenNoJdk21IsFound_saysWhatToInstallAndExits1() throws Exception {
        Result r = bash(Map.of("JAVA_HOME", "", "NOEX_JDK_SEARCH_PATHS", ""), ROOT.resolve("bin/noex").toString(), "--help");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.output()).contains("no JDK 21 or newer found", "Eclipse Temurin 21", "set JAVA_HOME");
    }

    @Test
    void findJdk_picksTheNewestJdk21OrLater() throws Exception {
        fakeJdk("jdk-17", "17.0.9");
        fakeJdk("jdk-21", "21.0.2");
        fakeJdk("jdk-22", "22");
        fakeJdk("jdk-8", "1.8.0_402");

        Result r = findJdk(Map.of("JAVA_HOME", "", "NOEX_JDK_SEARCH_PATHS", jdks + "/*"));

        assertThat(r.output().strip()).isEqualTo(jdks.resolve("jdk-22").toString());
    }

    @Test
    void findJdk_prefersJavaHome_whenItIs21OrLater() throws Exception {
        Path home = fakeJdk("home 21", "21.0.5");
        fakeJdk("jdk-24", "24");

        Result r = findJdk(Map.of("JAVA_HOME", home.toString(), "NOEX_JDK_SEARCH_PATHS", jdks + "/*"));

        assertThat(r.output().strip()).isEqualTo(home.toString());
    }

    @Test
    void findJdk_skipsAJavaHomeOlderThan21() throws Exception {
        Path old = fakeJdk("old", "17.0.9");
        fakeJdk("new", "21.0.2");

        Result r = findJdk(Map.of("JAVA_HOME", old.toString(), "NOEX_JDK_SEARCH_PATHS", jdks + "/n*"));

        assertThat(r.output().strip()).isEqualTo(jdks.resolve("new").toString());
    }

    @Test
    void findJdk_readsJavaVersion_whenThereIsNoReleaseFile() throws Exception {
        Path jdk = fakeJdk("no-release", null);
        Files.writeString(jdk.resolve("bin/java"), "#!/bin/sh\necho 'openjdk version \"23.0.1\" 2024-10-15' >&2\n");

        Result r = findJdk(Map.of("JAVA_HOME", "", "NOEX_JDK_SEARCH_PATHS", jdks + "/*"));

        assertThat(r.output().strip()).isEqualTo(jdk.toString());
    }

    private Result findJdk(Map<String, String> env) throws Exception {
        String script = ". '" + ROOT.resolve("bin/lib/find-jdk.bash") + "' && noex_find_jdk && echo \"$NOEX_JAVA_HOME\"";
        return bash(env, "-c", script);
    }

    /** A folder that looks like a JDK: executable bin/java and bin/javac, and a release file. */
    private Path fakeJdk(String name, String version) throws IOException {
        Path home = jdks.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        for (String tool : List.of("java", "javac")) {
            Path p = Files.writeString(home.resolve("bin").resolve(tool), "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        if (version != null) {
            Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        }
        return home;
    }

    private record Result(int code, String output) {
    }

    private static Result bash(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("bash finished").isTrue();
        return new Result(p.exitValue(), output);
    }
}
