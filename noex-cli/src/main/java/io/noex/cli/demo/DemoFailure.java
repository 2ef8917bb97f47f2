package io.noex.cli.demo;

/**
 * A check in a demo act was not met: the runtime did not do what the act narrates. The message
 * says what was expected and what happened instead; it becomes the act's failure in the summary.
 */
final class DemoFailure extends RuntimeException {

    DemoFailure(String message) {
        super(message);
    }

    /**
     * @param condition what must hold
     * @param otherwise the failure message when it does not
     * @throws DemoFailure if {@code condition} is false
     */
    static void expect(boolean condition, String otherwise) {
        if (!condition) {
            throw new DemoFailure(otherwise);
        }
    }
}
