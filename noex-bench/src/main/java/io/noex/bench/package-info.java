/**
 * JMH benchmarks of the local runtime, and the idle-footprint check. Nothing here is API.
 *
 * <p>Build once, through the reactor (the shaded jar holds every benchmark and JMH itself):
 * <pre>
 * mvn -B -q -o -DskipTests package -pl noex-bench -am
 * </pre>
 * Then run them all, three forks each, with the median of the forks printed at the end, and the
 * footprint check under a 1 GiB heap:
 * <pre>
 * noex-bench/run-local.sh
 * </pre>
 *
 * <table class="striped">
 *   <caption>What each class measures (the targets are from the performance issue)</caption>
 *   <thead><tr><th>class</th><th>measures</th><th>target (2 cores)</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@link io.noex.bench.LocalCallBenchmark}</td><td>sequential local call round trips</td>
 *         <td>&ge; 1,000,000 calls/s</td></tr>
 *     <tr><td>{@link io.noex.bench.CastBenchmark}</td><td>casts into one process from one sender,
 *         counted when handled</td><td>&ge; 5,000,000 messages/s</td></tr>
 *     <tr><td>{@link io.noex.bench.SpawnStopBenchmark}</td><td>{@code start} then {@code stop}</td>
 *         <td>&ge; 500,000 processes/s</td></tr>
 *     <tr><td>{@link io.noex.bench.IdleFootprint}</td><td>heap held by idle GenServers</td>
 *         <td>1,000,000 in &le; 1 GiB</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Remote paths (two JVMs on 127.0.0.1: call round trips, call and cast throughput, beside a
 * plain-socket floor) are measured by the harness in {@link io.noex.bench.cluster}, run with
 * {@code noex-bench/run-cluster.sh}.
 *
 * <p>JMH's own score for a benchmark is the mean of every measurement iteration of every fork;
 * {@link io.noex.bench.MedianOfForks} runs the same benchmarks and also prints each fork's score
 * and their median, the figure {@code BENCHMARKS.md} records.
 */
package io.noex.bench;
