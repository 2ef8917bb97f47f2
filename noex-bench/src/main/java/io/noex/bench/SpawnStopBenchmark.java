package io.noex.bench;

import io.noex.GenServerRef;
import io.noex.Node;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A process's whole life: {@code node.start(behavior)} (which returns once {@code init} ran on
 * the new process's thread) followed by {@code node.stop(ref)} (which returns once
 * {@code terminate} ran and the process exited). Sequential, from the JMH thread. Target: at least
 * 500,000 processes/s on 2 cores. After each iteration the node must hold no process.
 *
 * <p>Run (from the repository root, JDK 21 or newer):
 * <pre>
 * mvn -B -q -o -DskipTests package -pl noex-bench -am
 * java -jar noex-bench/target/benchmarks.jar SpawnStopBenchmark -f 3 -wi 3 -w 2s -i 5 -r 2s
 * </pre>
 *
 * <p>Not {@code final}: JMH generates subclasses of its benchmark classes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(3)
@State(Scope.Benchmark)
public class SpawnStopBenchmark {

    private final BenchBehaviors.Echo behavior = new BenchBehaviors.Echo();
    private Node node;

    /** Starts an empty node. */
    @Setup
    public void setUp() {
        node = Node.create("bench");
    }

    /** Closes the node. */
    @TearDown
    public void tearDown() {
        node.close();
    }

    /**
     * Fails the run if a stopped process is still in the node's table.
     *
     * @throws IllegalStateException with the count left
     */
    @TearDown(Level.Iteration)
    public void checkNoneLeft() {
        int left = node.processCount();
        if (left != 0) {
            throw new IllegalStateException(left + " processes still alive after start+stop");
        }
    }

    /** @return the stopped process's ref, for JMH to consume */
    @Benchmark
    public GenServerRef startThenStop() {
        GenServerRef ref = node.start(behavior);
        node.stop(ref);
        return ref;
    }
}
