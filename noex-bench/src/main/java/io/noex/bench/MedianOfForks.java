package io.noex.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH with its usual command line, then prints, for each benchmark, every fork's score and
 * the median of them: the figure {@code BENCHMARKS.md} records ("median of at least 3 forks").
 * JMH's own summary line is the mean over all measurement iterations of all forks, with an error
 * margin; it is printed just above and usually lies close to the median.
 *
 * <p>Run (from the repository root, JDK 21 or newer; any JMH option or benchmark regex works):
 * <pre>
 * mvn -B -q -o -DskipTests package -pl noex-bench -am
 * java -cp noex-bench/target/benchmarks.jar io.noex.bench.MedianOfForks \
 *     'io.noex.bench.(LocalCall|Cast|SpawnStop)Benchmark' -f 3 -wi 3 -w 2s -i 5 -r 2s
 * </pre>
 *
 * <p>Threading: single-threaded; JMH runs each fork in a JVM of its own.
 */
public final class MedianOfForks {

    private MedianOfForks() {
    }

    /**
     * @param args JMH's command line
     * @throws Exception if the options are malformed or a benchmark fails
     */
    public static void main(String[] args) throws Exception {
        Collection<RunResult> results = new Runner(new CommandLineOptions(args)).run();
        System.out.println();
        System.out.println("Median of forks (a fork's score is the mean of its measurement iterations):");
        System.out.printf(Locale.ROOT, "%-52s %-14s %14s  %s%n", "Benchmark", "Unit", "Median", "Fork scores");
        for (RunResult r : results) {
            List<Double> forks = new ArrayList<>();
            for (BenchmarkResult fork : r.getBenchmarkResults()) {
                forks.add(fork.getPrimaryResult().getScore());
            }
            List<String> shown = forks.stream().map(MedianOfForks::format).toList();
            System.out.printf(Locale.ROOT, "%-52s %-14s %14s  %s%n", shortName(r.getParams().getBenchmark()),
                    r.getPrimaryResult().getScoreUnit(), format(median(forks)), String.join(", ", shown));
        }
    }

    /** @return the median: the middle score, or the mean of the two middle ones */
    static double median(List<Double> scores) {
        List<Double> sorted = scores.stream().sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String format(double score) {
        return String.format(Locale.ROOT, "%,.0f", score);
    }

    private static String shortName(String benchmark) {
        String prefix = MedianOfForks.class.getPackageName() + ".";
        return benchmark.startsWith(prefix) ? benchmark.substring(prefix.length()) : benchmark;
    }
}
