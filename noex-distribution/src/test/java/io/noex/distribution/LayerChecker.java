package io.noex.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The layer table of SPEC §2 as code, and a checker that reads Java sources and reports each
 * reference that reaches a package its own package may not use.
 *
 * <p>The components, and what each may use besides itself:
 * <pre>
 * layer  component       packages                                   may use
 *   0    core            io.noex, io.noex.time, io.noex.spi, and    nothing above layer 0
 *                        every io.noex.* outside io.noex.distribution
 *   1    transport       io.noex.distribution.transport             core
 *   1    serialization   io.noex.distribution.serialization         core
 *   2    cluster         io.noex.distribution.cluster               core, transport, serialization
 *   3    remote          io.noex.distribution.remote                all of layers 0-2
 *   4    registry        io.noex.distribution.registry              all of layers 0-3
 *   4    monitor         io.noex.distribution.monitor               all of layers 0-3
 *   4    supervisor      io.noex.distribution.supervisor            layers 0-3, registry, monitor
 *   4    observer        io.noex.distribution.observer              layers 0-3, registry, monitor, supervisor
 *   5    facade          io.noex.distribution (Cluster, RemoteCall, ...)   everything
 * </pre>
 * The facade package also holds the distribution API's plain types: its exceptions, configuration
 * records and events ({@code NodeNotReachableException} lives in core; {@code ClusterConfig},
 * {@code MessageSerializationException}, {@code ProtocolVersion} live here, because users import
 * them from {@code io.noex.distribution}). A class of the facade package that itself references no
 * distribution sub-package is such an <em>API type</em>: it sits below layer 1, and every layer may
 * use it by its name ({@code io.noex.distribution.ProtocolVersion}). Any other class of the facade
 * package (one that reaches into the layers: {@code Cluster}, {@code RemoteCall}) is layer 5, and
 * so is a wildcard import of the package.
 *
 * <p>Within layer 1, the frame/handshake transport and the value codec are independent: frames carry
 * bytes, and the codec turns values into bytes; whoever needs both (cluster and above) joins them.
 * Within layer 4, the global registry and remote monitors are independent services; a distributed
 * supervisor is built on both (it names children globally and watches them with monitors); the
 * observer reports on everything, so it may read all the others, and nothing reads it. Nothing below
 * layer 5 may use the facade: it is the user's entry point, and a lower layer calling it would make
 * the static facade a hidden dependency.
 *
 * <p>A sub-package belongs to the component of the package it is under, so
 * {@code io.noex.distribution.transport.internal} is transport and {@code io.noex.distribution.internal}
 * is the facade. A package under {@code io.noex.distribution} that is not in the table is reported, so
 * that a new package gets a deliberate place in it.
 *
 * <p>What counts as a reference: every {@code io.noex.*} token in the code, that is in imports,
 * fully-qualified names and string literals, but not in comments. String literals count because a
 * class name in a string ({@code Class.forName}, a service name) is a dependency too; an error message
 * that must mention a higher-layer class can name it without its package. {@code module-info.java}
 * is skipped: it names modules, not packages ({@code io.noex.distribution} is also a module name), and
 * javac already enforces module dependencies.
 *
 * <p>Two more rules tie modules to layers: noex-core holds layer 0 only, and noex-distribution holds
 * only {@code io.noex.distribution} packages.
 */
final class LayerChecker {

    static final String DISTRIBUTION = "io.noex.distribution";

    /** The class named right after a reference to the facade package, as in {@code io.noex.distribution.Foo}. */
    private static final Pattern FACADE_CLASS = Pattern.compile("\\.([A-Z][\\w$]*)");

    /** A Java token naming an {@code io.noex} package: lower-case segments, stopping before a class name. */
    private static final Pattern REFERENCE = Pattern.compile("(?<![\\w$.])io\\.noex(?:\\.[a-z_][a-z0-9_]*)*(?![\\w$])");

    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    /** The Maven module a source file lives in. */
    enum Module {
        CORE("noex-core"),
        DISTRIBUTION("noex-distribution");

        final String directory;

        Module(String directory) {
            this.directory = directory;
        }
    }

    /** A row of the layer table. */
    enum Component {
        CORE(0),
        TRANSPORT(1),
        SERIALIZATION(1),
        CLUSTER(2),
        REMOTE(3),
        REGISTRY(4),
        MONITOR(4),
        SUPERVISOR(4),
        OBSERVER(4),
        FACADE(5);

        final int layer;

        Component(int layer) {
            this.layer = layer;
        }

        /** @return the components this one may use, itself included */
        Set<Component> uses() {
            return switch (this) {
                case CORE -> EnumSet.of(CORE);
                case TRANSPORT -> EnumSet.of(CORE, TRANSPORT);
                case SERIALIZATION -> EnumSet.of(CORE, SERIALIZATION);
                case CLUSTER -> EnumSet.of(CORE, TRANSPORT, SERIALIZATION, CLUSTER);
                case REMOTE -> with(CLUSTER.uses(), REMOTE);
                case REGISTRY -> with(REMOTE.uses(), REGISTRY);
                case MONITOR -> with(REMOTE.uses(), MONITOR);
                case SUPERVISOR -> with(REMOTE.uses(), REGISTRY, MONITOR, SUPERVISOR);
                case OBSERVER -> with(REMOTE.uses(), REGISTRY, MONITOR, SUPERVISOR, OBSERVER);
                case FACADE -> EnumSet.allOf(Component.class);
            };
        }

        private static Set<Component> with(Set<Component> base, Component first, Component... more) {
            Set<Component> all = EnumSet.of(first, more);
            all.addAll(base);
            return all;
        }

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT) + ", layer " + layer;
        }
    }

    /** A reference that breaks the table, at a file and a 1-based line. */
    record Violation(String file, int line, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    private LayerChecker() {
    }

    /**
     * @return the component of {@code pkg}, or empty for a package under {@code io.noex.distribution}
     *     that the table does not list
     */
    static Optional<Component> componentOf(String pkg) {
        if (!pkg.equals(DISTRIBUTION) && !pkg.startsWith(DISTRIBUTION + ".")) {
            return Optional.of(Component.CORE);
        }
        if (pkg.equals(DISTRIBUTION)) {
            return Optional.of(Component.FACADE);
        }
        String first = pkg.substring(DISTRIBUTION.length() + 1).split("\\.", 2)[0];
        return switch (first) {
            case "internal" -> Optional.of(Component.FACADE);
            case "transport" -> Optional.of(Component.TRANSPORT);
            case "serialization" -> Optional.of(Component.SERIALIZATION);
            case "cluster" -> Optional.of(Component.CLUSTER);
            case "remote" -> Optional.of(Component.REMOTE);
            case "registry" -> Optional.of(Component.REGISTRY);
            case "monitor" -> Optional.of(Component.MONITOR);
            case "supervisor" -> Optional.of(Component.SUPERVISOR);
            case "observer" -> Optional.of(Component.OBSERVER);
            default -> Optional.empty();
        };
    }

    /** Checks every {@code .java} file under each module's {@code src/main/java} below {@code root}. */
    static List<Violation> checkProject(Path root) {
        Set<String> apiTypes = apiTypes(root.resolve(Module.DISTRIBUTION.directory).resolve("src/main/java"));
        List<Violation> violations = new ArrayList<>();
        for (Module module : Module.values()) {
            for (Path file : sourceFiles(root.resolve(module.directory).resolve("src/main/java"))) {
                String display = root.relativize(file).toString().replace('\\', '/');
                violations.addAll(check(module, display, read(file), apiTypes));
            }
        }
        return violations;
    }

    /**
     * @param tree a module's {@code src/main/java}
     * @return the simple names of the facade package's API types: its classes that reference no
     *     distribution sub-package
     */
    static Set<String> apiTypes(Path tree) {
        Path dir = tree.resolve(DISTRIBUTION.replace('.', '/'));
        Set<String> out = new LinkedHashSet<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".java")).sorted().toList()) {
                String name = f.getFileName().toString().replace(".java", "");
                if (!name.equals("package-info") && isApiType(read(f))) {
                    out.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** @return true if the source references no distribution sub-package (so it is a plain API type) */
    static boolean isApiType(String source) {
        Matcher reference = REFERENCE.matcher(withoutComments(source));
        while (reference.find()) {
            if (reference.group().startsWith(DISTRIBUTION + ".")) {
                return false;
            }
        }
        return true;
    }

    /** @return the {@code .java} files under {@code tree}, module-info excluded, in a stable order */
    static List<Path> sourceFiles(Path tree) {
        if (!Files.isDirectory(tree)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(tree)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.getFileName().toString().equals("module-info.java"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks one source file.
     *
     * @param module the module the file belongs to
     * @param file how to name the file in a violation
     * @param source the file's text
     * @return the violations, in line order
     */
    static List<Violation> check(Module module, String file, String source) {
        return check(module, file, source, Set.of());
    }

    /**
     * Checks one source file, knowing the facade package's API types.
     *
     * @param module the module the file belongs to
     * @param file how to name the file in a violation
     * @param source the file's text
     * @param apiTypes simple names of the facade package's API types (see the class comment)
     * @return the violations, in line order
     */
    static List<Violation> check(Module module, String file, String source, Set<String> apiTypes) {
        String code = withoutComments(source);
        int[] lineStarts = lineStarts(code);
        Matcher declaration = PACKAGE.matcher(code);
        if (!declaration.find()) {
            return List.of(new Violation(file, 1, "no package declaration"));
        }
        String pkg = declaration.group(1);
        int packageLine = lineOf(lineStarts, declaration.start(1));
        Optional<Component> own = componentOf(pkg);
        if (own.isEmpty()) {
            return List.of(new Violation(file, packageLine, "package " + pkg
                    + " is not in the layer table; give it a place in LayerChecker"));
        }
        List<Violation> violations = new ArrayList<>();
        if (module == Module.CORE && own.get() != Component.CORE) {
            violations.add(new Violation(file, packageLine,
                    "noex-core holds layer 0 only, but this file is in package " + pkg));
        }
        if (module == Module.DISTRIBUTION && own.get() == Component.CORE) {
            violations.add(new Violation(file, packageLine,
                    "noex-distribution holds only " + DISTRIBUTION + " packages, but this file is in package " + pkg));
        }
        Component from = module == Module.CORE ? Component.CORE : own.get();
        Set<String> seen = new LinkedHashSet<>();
        Matcher reference = REFERENCE.matcher(code);
        reference.region(declaration.end(), code.length()); // the declaration names, it does not use
        while (reference.find()) {
            String target = reference.group();
            int line = lineOf(lineStarts, reference.start());
            if (!seen.add(line + " " + target)) {
                continue;
            }
            Optional<Component> to = componentOf(target);
            if (target.equals(DISTRIBUTION)) {
                Matcher named = FACADE_CLASS.matcher(code).region(reference.end(), code.length());
                if (named.lookingAt() && apiTypes.contains(named.group(1))) {
                    continue; // an API type of the facade package: usable from every layer
                }
            }
            if (to.isEmpty()) {
                violations.add(new Violation(file, line, "package " + pkg + " references " + target
                        + ", which is not in the layer table"));
            } else if (!from.uses().contains(to.get())) {
                violations.add(new Violation(file, line, "package " + pkg + " (" + from + ") must not use "
                        + target + " (" + to.get() + ")"));
            }
        }
        return violations;
    }

    /**
     * Blanks out comments, keeping line breaks (so that line numbers stay right) and string, text
     * block and char literals (so that a {@code //} inside a string is not a comment).
     */
    static String withoutComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                while (i < n && source.charAt(i) != '\n') {
                    out.append(' ');
                    i++;
                }
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                for (; i < end; i++) {
                    out.append(source.charAt(i) == '\n' ? '\n' : ' ');
                }
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                while (end > 0 && isEscaped(source, end)) {
                    end = source.indexOf("\"\"\"", end + 1);
                }
                end = end < 0 ? n : end + 3;
                out.append(source, i, end);
                i = end;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && source.charAt(end) != c && source.charAt(end) != '\n') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 1);
                out.append(source, i, end);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean isEscaped(String source, int index) {
        int backslashes = 0;
        for (int k = index - 1; k >= 0 && source.charAt(k) == '\\'; k--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int lineOf(int[] lineStarts, int offset) {
        int index = java.util.Arrays.binarySearch(lineStarts, offset);
        return (index >= 0 ? index : -index - 2) + 1;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
