package io.noex;

/**
 * How a supervisor reacts when a child exits and must be restarted (Erlang's strategies). Shared
 * by the local {@link Supervisor} and the distributed supervisor.
 */
public enum SupervisorStrategy {
    /** Restart only the child that exited. */
    ONE_FOR_ONE,
    /** Stop every other child (in reverse start order), then restart all of them in start order. */
    ONE_FOR_ALL,
    /**
     * Stop the children started after the one that exited (in reverse order), then restart it and
     * them, in start order.
     */
    REST_FOR_ONE,
    /**
     * Like {@link #ONE_FOR_ONE}, for many dynamically added children of one template spec:
     * {@code Supervisor.startChild(sup, extraArgs)} starts another instance.
     */
    SIMPLE_ONE_FOR_ONE
}
