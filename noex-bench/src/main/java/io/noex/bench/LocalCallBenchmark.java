package io.noex.bench;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.StartOptions;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Sequential local call round trips: one caller, one server, each call waits for its reply
 * before the next is sent. Target: at least 1,000,000 calls/s on 2 cores.
 *
 * <ul>
 *   <li>{@code fromPlatformThread}: the JMH thread (a platform thread) calls
 *       {@code node.call(server, GET)}. The caller spins briefly before parking, the server's
 *       drain lingers briefly before its thread ends, so back-to-back calls meet both awake.</li>
 *   <li>{@code fromProcess}: a GenServer calls the server {@value #BATCH} times inside one
 *       {@code handleCall}; the JMH thread makes one call per {@value #BATCH} round trips, so
 *       the score is process-to-process calls per second (the caller is a virtual thread and
 *       parks at once).</li>
 * </ul>
 * The server replies with its state (see {@link BenchBehaviors.Echo}).
 *
 * <p>Run (from the repository root, JDK 21 or newer):
 * <pre>
 * mvn -B -q -o -DskipTests package -pl noex-bench -am
 * java -jar noex-bench/target/benchmarks.jar LocalCallBenchmark -f 3 -wi 3 -w 2s -i 5 -r 2s
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
public class LocalCallBenchmark {

    /** Round trips per {@code fromProcess} invocation. */
    static final int BATCH = 1_000;

    private Node node;
    private GenServerRef server;
    private GenServerRef caller;

    /** Starts a node with the server and the calling process. */
    @Setup
    public void setUp() {
        node = Node.create("bench");
        server = node.start(new BenchBehaviors.Echo());
        caller = node.start(new BenchBehaviors.CallLoop(), StartOptions.builder().args(server).build());
    }

    /** Closes the node, stopping both processes. */
    @TearDown
    public void tearDown() {
        node.close();
    }

    /** @return the reply, for JMH to consume */
    @Benchmark
    public Object fromPlatformThread() {
        return node.call(server, BenchBehaviors.Msg.GET);
    }

    /** @return the last reply of the batch */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object fromProcess() {
        return node.call(caller, BATCH);
    }
}
