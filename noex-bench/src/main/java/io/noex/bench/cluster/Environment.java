package io.noex.bench.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/**
 * What every figure must name (SPEC section 6): the date, the machine, the JDK and the commit.
 * Read from {@code /proc} and {@code git}; "unknown" where they are not there.
 */
final class Environment {

    private Environment() {
    }

    static void print(PrintStream out) {
        out.println("date:    " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")));
        out.println("cores:   " + Runtime.getRuntime().availableProcessors() + " (" + cpuModel() + ")");
        out.println("memory:  " + memTotal());
        printLoad(out);
        out.println("jdk:     " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.home") + "), " + System.getProperty("java.vm.name"));
        out.println("commit:  " + git("rev-parse", "--short", "HEAD") + dirty());
    }

    static void printLoad(PrintStream out) {
        out.println("load:    " + read("/proc/loadavg").map(s -> String.join(" ", java.util.Arrays.copyOf(s.split(" "), 3))) + " (1, 5, 15 min)");
    }

    private static String cpuModel() {
        return read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
    }

    private static String memTotal() {
        return read("/proc/meminfo").lines().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> String.format("%.1f GiB", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
                .findFirst().orElse("unknown");
    }

    private static String dirty() {
        String status = git("status", "--porcelain", "--untracked-files=no");
        return status.isEmpty() || status.equals("unknown") ? "" : " (with uncommitted changes)";
    }

    private static Text read(String file) {
        try {
            return new Text(Files.readString(Path.of(file)));
        } catch (IOException e) {
            return new Text("");
        }
    }

    private static String git(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? s : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** A file's text, with the two views this class needs. */
    private record Text(String s) {
        java.util.stream.Stream<String> lines() {
            return s.lines();
        }

        String map(java.util.function.Function<String, String> f) {
            return s.isEmpty() ? "unknown" : f.apply(s.strip());
        }
    }
}
