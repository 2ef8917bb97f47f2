/**
 * The {@code noex} command line ({@code bin/noex}): {@link io.noex.cli.NoexCli} and one class per
 * subcommand. Each command is a thin picocli wrapper; the work lives in classes that tests drive
 * directly (for {@code demo}: {@link io.noex.cli.demo.LocalDemo}).
 */
package io.noex.cli;
