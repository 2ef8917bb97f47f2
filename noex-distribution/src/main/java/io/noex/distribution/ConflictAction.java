package io.noex.distribution;

/**
 * What happens to a process that loses its global name to a concurrent registration (after a
 * partition heals, say).
 */
public enum ConflictAction {
    /**
     * The loser receives an exit signal whose {@code error} reason names the conflict: it dies
     * with it, or, if it traps exits, gets it as an {@link io.noex.Exit} message. The default
     * (Erlang's {@code global} kills the loser too).
     */
    EXIT,
    /** The loser receives a {@link GlobalNameConflict} message in {@code handleInfo} and lives on. */
    MESSAGE
}
