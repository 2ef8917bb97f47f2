/**
 * The guided demo behind {@code noex demo}: a {@link io.noex.cli.demo.LocalDemo} made of acts,
 * played in order by a script runner that narrates each step with its elapsed time and ends with
 * a summary table. The runner knows nothing about what an act does, so the multi-JVM cluster
 * demo can reuse it.
 */
package io.noex.cli.demo;
