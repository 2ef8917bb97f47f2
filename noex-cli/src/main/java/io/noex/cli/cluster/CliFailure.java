package io.noex.cli.cluster;

/**
 * A failure the {@code noex} command reports as one line on stderr, with no stack trace, and
 * ends with its exit code: {@link #USAGE} when the user asked for something that cannot be (a bad
 * seed, a bad name), {@link #RUNTIME} when a well-formed request failed (a taken port, an
 * unreachable seed). The line says what went wrong and what to do about it.
 */
public final class CliFailure extends RuntimeException {

    /** Exit code of a usage error. */
    public static final int USAGE = 2;

    /** Exit code of a command that ran and failed. */
    public static final int RUNTIME = 1;

    private final int exitCode;

    private CliFailure(int exitCode, String line) {
        super(line, null, false, false); // a user-facing line: no stack trace to fill or print
        this.exitCode = exitCode;
    }

    /**
     * @param line what is wrong and what to do, on one line
     * @return a usage error (exit code 2)
     */
    public static CliFailure usage(String line) {
        return new CliFailure(USAGE, line);
    }

    /**
     * @param line what failed and what to do, on one line
     * @return a runtime failure (exit code 1)
     */
    public static CliFailure runtime(String line) {
        return new CliFailure(RUNTIME, line);
    }

    /** @return the exit code the command ends with */
    public int exitCode() {
        return exitCode;
    }
}
