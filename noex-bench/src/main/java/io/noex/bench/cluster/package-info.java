/**
 * The two-JVM cluster benchmark: remote call round trips, call and cast throughput over TCP on
 * 127.0.0.1, beside a plain-socket floor. Nothing here is API.
 *
 * <p>One command, from the repository root, builds the jar if needed, starts both JVMs, prints
 * the machine, every run and a Markdown table of the medians:
 * <pre>
 * noex-bench/run-cluster.sh
 * </pre>
 * {@link io.noex.bench.cluster.ClusterBench} is the driver (and documents the scenarios and
 * options); {@link io.noex.bench.cluster.BenchServer} is the server JVM it starts as its child.
 */
package io.noex.bench.cluster;
