package io.noex;

/** When a supervisor restarts a child that exited (Erlang's restart types). */
public enum RestartType {
    /** Always restarted. The default. */
    PERMANENT,
    /** Restarted only after an abnormal exit (not {@code normal} or {@code shutdown}). */
    TRANSIENT,
    /** Never restarted; removed from the supervisor when it exits. */
    TEMPORARY;

    /**
     * @param reason why the child exited
     * @return whether a child of this type is restarted after exiting with {@code reason}
     */
    public boolean restartsAfter(ExitReason reason) {
        return switch (this) {
            case PERMANENT -> true;
            case TRANSIENT -> !reason.isNormalOrShutdown();
            case TEMPORARY -> false;
        };
    }
}
