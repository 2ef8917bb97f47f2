package io.noex;

/**
 * Thrown by a callback to say "this process does not handle this message". Unlike any other
 * exception it does not crash the process: the message is rejected (a caller gets this exception;
 * a cast or info message is logged at WARN and dropped) and the process keeps its state.
 * {@snippet :
 * default -> throw new UnknownMessageException(msg);
 * }
 */
public final class UnknownMessageException extends NoexException {

    private final transient Object rejected;

    /** @param rejected the message that is not handled */
    public UnknownMessageException(Object rejected) {
        super("unknown message: " + describe(rejected));
        this.rejected = rejected;
    }

    /** @return the message that was not handled */
    public Object rejected() {
        return rejected;
    }

    private static String describe(Object m) {
        if (m == null) {
            return "null";
        }
        String text = String.valueOf(m);
        if (text.length() > 200) {
            text = text.substring(0, 200) + "...";
        }
        return text + " (" + m.getClass().getName() + ")";
    }
}
