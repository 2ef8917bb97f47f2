package io.noex.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes a module's public API as text, so that an API change is a visible diff in
 * {@code api/<module>.txt} (STYLE "The public API is written down and diffed"), and compares the
 * checked-in text with the compiled classes.
 *
 * <p>Format: a header naming the module and how to update the file; then a section {@code ## exported}
 * with the packages the module's {@code module-info} exports to everyone, and a section
 * {@code ## internal (qualified export)} with those it exports only to named modules (each package
 * line names them). A module without {@code module-info} has every package on the class path, so all
 * its packages count as exported. Within a package come its public and protected types (nested ones
 * too, when every enclosing type is public or protected), sorted by name, each a block of signatures
 * as {@link ApiSignatures} renders them.
 */
final class ApiDump {

    /** Set to {@code true} to rewrite the files instead of comparing. */
    static final String UPDATE_PROPERTY = "noex.api.update";

    static final String UPDATE_COMMAND = "mvn -B -o test -pl noex-testkit -am -Dtest=ApiDumpTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -D" + UPDATE_PROPERTY + "=true";

    private ApiDump() {
    }

    /**
     * Dumps the API of the classes compiled into {@code classes}.
     *
     * @param module the Maven module's name, for the header
     * @param classes the module's {@code target/classes}
     * @param loader a class loader that sees those classes and their dependencies
     * @return the text of {@code api/<module>.txt}
     */
    static String dump(String module, Path classes, ClassLoader loader) {
        Optional<ModuleDescriptor> descriptor = descriptor(classes);
        List<Class<?>> types = apiTypes(classes, loader);
        Set<String> packages = new TreeSet<>();
        types.forEach(t -> packages.add(t.getPackageName()));

        Map<String, String> exported = new TreeMap<>();
        Map<String, String> qualified = new TreeMap<>();
        if (descriptor.isPresent()) {
            for (ModuleDescriptor.Exports e : descriptor.get().exports()) {
                if (e.isQualified()) {
                    qualified.put(e.source(), " (to " + String.join(", ", new TreeSet<>(e.targets())) + ")");
                } else {
                    exported.put(e.source(), "");
                }
            }
        } else {
            packages.forEach(p -> exported.put(p, ""));
        }

        StringBuilder out = new StringBuilder();
        out.append("# ").append(module).append(": public API")
                .append(descriptor.map(d -> " of module " + d.name())
                        .orElse(" (no module-info: every package on the class path counts as exported)"))
                .append('\n');
        out.append("# Written by ApiDumpTest (noex-testkit); do not edit. An API change shows here as a diff.\n");
        out.append("# After a deliberate change: ").append(UPDATE_COMMAND).append('\n');
        section(out, "## exported", exported, types);
        if (!qualified.isEmpty()) {
            section(out, "## internal (qualified export)", qualified, types);
        }
        return out.toString();
    }

    private static void section(StringBuilder out, String title, Map<String, String> packages, List<Class<?>> types) {
        out.append('\n').append(title).append('\n');
        if (packages.isEmpty()) {
            out.append("\n(none)\n");
        }
        packages.forEach((pkg, note) -> {
            out.append("\npackage ").append(pkg).append(note).append('\n');
            List<Class<?>> inPackage = types.stream().filter(t -> t.getPackageName().equals(pkg)).toList();
            if (inPackage.isEmpty()) {
                out.append("  (no public types)\n");
            }
            for (Class<?> type : inPackage) {
                out.append('\n');
                ApiSignatures.render(type).forEach(line -> out.append(line).append('\n'));
            }
        });
    }

    /** @return the public and protected types compiled into {@code classes}, sorted by name */
    static List<Class<?>> apiTypes(Path classes, ClassLoader loader) {
        if (!Files.isDirectory(classes)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(classes)) {
            return files.map(f -> classes.relativize(f).toString().replace('\\', '/'))
                    .filter(f -> f.endsWith(".class"))
                    .filter(f -> !f.endsWith("module-info.class") && !f.endsWith("package-info.class"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
                    .map(name -> load(name, loader))
                    .filter(ApiSignatures::isApi)
                    .sorted(Comparator.comparing(ApiSignatures::typeName))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name + " is compiled but not on the test class path", e);
        }
    }


    private static Optional<ModuleDescriptor> descriptor(Path classes) {
        Path file = classes.resolve("module-info.class");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(ModuleDescriptor.read(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    /**
     * Compares a checked-in dump with the current one.
     *
     * @param file the checked-in file, for the message
     * @param checkedIn its text, or empty if it does not exist
     * @param current the dump of the compiled classes
     * @return empty when they agree, else a message listing the changed lines and how to update
     */
    static Optional<String> compare(String file, Optional<String> checkedIn, String current) {
        if (checkedIn.isEmpty()) {
            return Optional.of(file + " does not exist. Write it with: " + UPDATE_COMMAND + ", then commit it.");
        }
        String old = checkedIn.get().replace("\r\n", "\n");
        if (old.equals(current)) {
            return Optional.empty();
        }
        Set<Keyed> oldLines = keyed(old);
        Set<Keyed> newLines = keyed(current);
        Map<String, List<String>> byType = new LinkedHashMap<>();
        oldLines.stream().filter(l -> !newLines.contains(l))
                .forEach(l -> byType.computeIfAbsent(l.type(), t -> new ArrayList<>()).add("- " + l.line()));
        newLines.stream().filter(l -> !oldLines.contains(l))
                .forEach(l -> byType.computeIfAbsent(l.type(), t -> new ArrayList<>()).add("+ " + l.line()));
        List<String> diff = new ArrayList<>();
        byType.forEach((type, lines) -> {
            if (!type.isEmpty()) {
                diff.add("in " + type + ":");
            }
            diff.addAll(lines);
        });
        if (diff.isEmpty()) {
            diff.add("(same lines, in another order)");
        }
        int shown = Math.min(diff.size(), 40);
        return Optional.of(file + " is stale: the public API changed.\n"
                + String.join("\n", diff.subList(0, shown))
                + (shown < diff.size() ? "\n... and " + (diff.size() - shown) + " more lines" : "")
                + "\nIf the change is meant, rewrite the file with: " + UPDATE_COMMAND
                + "\nand commit it with the change.");
    }

    /** A line of a dump, with the type it belongs to ("" for a type's header and other lines). */
    private record Keyed(String type, String line) {
    }

    private static final Pattern TYPE_NAME = Pattern.compile("(?:class|interface|enum|record) ([\\w.$]+)");

    private static Set<Keyed> keyed(String dump) {
        Set<Keyed> lines = new LinkedHashSet<>();
        String type = "";
        for (String line : dump.lines().toList()) {
            if (line.startsWith("  ")) {
                lines.add(new Keyed(type, line));
            } else {
                Matcher name = TYPE_NAME.matcher(line);
                type = line.isBlank() || line.startsWith("package ") || !name.find() ? "" : name.group(1);
                lines.add(new Keyed("", line));
            }
        }
        return lines;
    }

    static Optional<String> read(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
