package io.noex;

/**
 * A string or components that do not form a valid {@link NodeId}. The message names the input and
 * the rule it breaks.
 */
public final class InvalidNodeIdException extends NoexException {

    private final String input;
    private final String rule;

    /**
     * @param input the rejected input, as given
     * @param rule the rule it breaks
     */
    public InvalidNodeIdException(String input, String rule) {
        super("invalid NodeId '" + input + "': " + rule);
        this.input = input;
        this.rule = rule;
    }

    /** @return the rule the input breaks, without the input */
    public String rule() {
        return rule;
    }

    /** @return the rejected input, as given */
    public String input() {
        return input;
    }
}
