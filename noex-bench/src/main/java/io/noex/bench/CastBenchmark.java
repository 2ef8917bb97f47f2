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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Casts into one process from one sender, counted when <em>handled</em>, not when queued. Target:
 * at least 5,000,000 messages/s on 2 cores.
 *
 * <p>Each invocation sends {@value #BATCH} casts, then one call; a process handles its mailbox in
 * order, so the call returns only after every cast of the batch was handled. The score counts the
 * {@value #BATCH} casts per invocation (the closing call is not counted), so it is end-to-end
 * throughput, and the backlog never exceeds one batch. After each iteration the server's count of
 * handled casts is checked against the casts sent.
 *
 * <p>Run (from the repository root, JDK 21 or newer):
 * <pre>
 * mvn -B -q -o -DskipTests package -pl noex-bench -am
 * java -jar noex-bench/target/benchmarks.jar CastBenchmark -f 3 -wi 3 -w 2s -i 5 -r 2s
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
public class CastBenchmark {

    /** Casts per invocation. */
    static final int BATCH = 1_000;

    private Node node;
    private GenServerRef server;
    private long sent;

    /** Starts a node with the receiving process. */
    @Setup
    public void setUp() {
        node = Node.create("bench");
        server = node.start(new BenchBehaviors.Echo());
    }

    /** Closes the node. */
    @TearDown
    public void tearDown() {
        node.close();
    }

    /**
     * Fails the run if a cast was lost: the server's count must equal what was sent.
     *
     * @throws IllegalStateException naming both counts
     */
    @TearDown(Level.Iteration)
    public void checkNothingLost() {
        long handled = node.call(server, BenchBehaviors.Msg.GET);
        if (handled != sent) {
            throw new IllegalStateException("sent " + sent + " casts but the server handled " + handled);
        }
    }

    /** @return the server's count after the batch, for JMH to consume */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object castBatchThenCall() {
        for (int i = 0; i < BATCH; i++) {
            node.cast(server, BenchBehaviors.Msg.TICK);
        }
        sent += BATCH;
        return node.call(server, BenchBehaviors.Msg.GET);
    }
}
