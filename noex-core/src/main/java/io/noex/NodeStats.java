package io.noex;

/**
 * A snapshot of a node's counters and table sizes, for metrics and for leak checks: after a
 * workload that cleans up after itself, {@code processes}, {@code monitors}, {@code timers} and
 * {@code names} are back where they started.
 *
 * @param processes live processes
 * @param started processes started since the node was created
 * @param exited processes exited since the node was created
 * @param crashed of those, exits with an {@code error} reason
 * @param droppedMessages casts and infos dropped because their target was gone
 * @param handledMessages messages (calls, casts, infos, signals) handled by processes
 * @param supervisors live local supervisor processes
 * @param monitors monitors created here that have neither fired nor been removed
 * @param timers {@code sendAfter} timers that have not fired or been cancelled
 * @param names local registered names
 */
public record NodeStats(
        int processes,
        long started,
        long exited,
        long crashed,
        long droppedMessages,
        long handledMessages,
        int supervisors,
        int monitors,
        int timers,
        int names) {
}
