package io.noex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java example in the repository's README compiles against the real API and prints what its
 * comments say, so the README cannot drift from the code unnoticed.
 */
class ReadmeExampleTest {

    private static final Path README = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent().resolve("README.md");

    @TempDir
    Path work;

    @Test
    void readmeExample_compilesAndRuns() throws Exception {
        String source = firstJavaBlock(Files.readString(README));
        Matcher name = Pattern.compile("public class (\\w+)").matcher(source);
        assertThat(name.find()).as("the example declares a public class").isTrue();
        Path file = Files.writeString(work.resolve(name.group(1) + ".java"), source);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null,
                List.of("--release", "21", "-classpath", System.getProperty("java.class.path"), "-d", work.toString()),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(file)).call();
        assertThat(compiled).as(diagnostics.toString()).isTrue();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {work.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass(name.group(1)).getMethod("main", String[].class);
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(previous);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualToIgnoringNewLines("counter = 5");
    }

    @Test
    void readmeConfigurationTable_namesEveryClusterConfigSetting_andNoOther() throws Exception {
        String readme = Files.readString(README);
        String table = readme.substring(readme.indexOf("| setting | default | meaning |"));
        table = table.substring(0, table.indexOf("\n\n"));
        Matcher row = Pattern.compile("(?m)^\\| `(\\w+)` \\|").matcher(table);
        java.util.Set<String> named = new java.util.TreeSet<>();
        while (row.find()) {
            named.add(row.group(1));
        }
        java.util.Set<String> settings = new java.util.TreeSet<>();
        for (Method m : io.noex.distribution.ClusterConfig.Builder.class.getMethods()) {
            if (m.getReturnType() == io.noex.distribution.ClusterConfig.Builder.class) {
                settings.add(m.getName());
            }
        }

        assertThat(named).as("settings in the README's configuration table").isEqualTo(settings);
    }

    private static String firstJavaBlock(String markdown) {
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        assertThat(block.find()).as("README.md has a ```java block").isTrue();
        return block.group(1);
    }
}
