package io.noex;

/** A supervisor refused an operation on its children; the supervisor keeps running. */
public final class SupervisorException extends NoexException {

    /** What was wrong. */
    public enum Problem {
        /** {@code startChild} with an id the supervisor already has. */
        DUPLICATE_CHILD_ID,
        /** No child with that id. */
        CHILD_NOT_FOUND,
        /** {@code restartChild} or {@code deleteChild} of a child that is running. */
        CHILD_RUNNING,
        /** An operation the supervisor's strategy does not support. */
        WRONG_STRATEGY
    }

    private final GenServerRef supervisor;
    private final String childId;
    private final Problem problem;

    /**
     * @param supervisor the supervisor
     * @param childId the child concerned
     * @param problem what was wrong
     * @param message for people
     */
    public SupervisorException(GenServerRef supervisor, String childId, Problem problem, String message) {
        super(message);
        this.supervisor = supervisor;
        this.childId = childId;
        this.problem = problem;
    }

    /** @return the supervisor */
    public GenServerRef supervisor() {
        return supervisor;
    }

    /** @return the child concerned */
    public String childId() {
        return childId;
    }

    /** @return what was wrong */
    public Problem problem() {
        return problem;
    }
}
