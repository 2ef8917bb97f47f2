/**
 * The guided demos behind {@code noex demo}: {@link io.noex.cli.demo.ClusterDemo}, three node JVMs
 * ({@link io.noex.cli.demo.DemoNodeMain}, driven over a line protocol) forming a cluster, and
 * {@link io.noex.cli.demo.LocalDemo}, the local runtime in one JVM ({@code --local}). Both are
 * made of acts played in order by a script runner that narrates each step with its elapsed time
 * and ends with a summary table.
 */
package io.noex.cli.demo;
