/**
 * The {@code noex} command line ({@code bin/noex}): {@link io.noex.cli.NoexCli} and one class per
 * subcommand ({@code node}, {@code status}, {@code demo}). Each command is a thin picocli wrapper;
 * the work lives in classes that tests drive directly ({@link io.noex.cli.cluster} for
 * {@code node} and {@code status}, {@link io.noex.cli.demo.LocalDemo} for {@code demo}).
 */
package io.noex.cli;
