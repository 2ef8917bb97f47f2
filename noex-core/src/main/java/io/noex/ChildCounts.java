package io.noex;

/**
 * Child counts of a supervisor ({@code Supervisor.countChildren}, Erlang's
 * {@code count_children}).
 *
 * @param specs children known to the supervisor, running or not
 * @param active children that are running
 * @param supervisors children that are supervisors
 * @param workers children that are workers
 */
public record ChildCounts(int specs, int active, int supervisors, int workers) {
}
