/**
 * Test helpers for noex clusters, all over real TCP on the loopback interface:
 * <ul>
 *   <li>{@link io.noex.testkit.LocalCluster}: N clustered {@link io.noex.Node}s in this JVM;</li>
 *   <li>{@link io.noex.testkit.JvmCluster}: N nodes in separate JVMs (each a
 *       {@link io.noex.testkit.NodeMain}), which a test can {@code kill -9}, freeze
 *       ({@code SIGSTOP}), resume and stop, reading their membership events;</li>
 *   <li>{@link io.noex.testkit.FaultProxy} and {@link io.noex.testkit.FaultNetwork}: a TCP proxy
 *       in front of each node that delays, freezes, partitions and drops links between chosen
 *       nodes.</li>
 * </ul>
 * Every helper is {@link java.lang.AutoCloseable} and, where it starts something, also a JUnit 5
 * extension that closes it after each test, so nothing outlives a failed test.
 *
 * <p>Waiting is by condition with a deadline ({@link io.noex.testkit.LocalCluster#awaitFullMesh},
 * {@link io.noex.testkit.JvmNode#awaitEvent}), never by a fixed sleep.
 */
package io.noex.testkit;
