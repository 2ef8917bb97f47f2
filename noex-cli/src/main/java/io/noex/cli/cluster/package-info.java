/**
 * The work behind {@code noex node} and {@code noex status}, driven directly by tests:
 * {@link io.noex.cli.cluster.ClusterNode} (a node hosting the example behaviors and narrating
 * membership events), {@link io.noex.cli.cluster.StatusProbe} (a short-lived probe node that
 * gathers the members' heartbeats) and {@link io.noex.cli.cluster.MemberTable} (how they print).
 * User errors are {@link io.noex.cli.cluster.CliFailure}s: one line and an exit code.
 */
package io.noex.cli.cluster;
