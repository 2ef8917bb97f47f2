package io.noex.distribution;

import io.noex.NoexException;

/**
 * A value cannot cross the network. Thrown at the <em>sender</em> before anything is sent, with
 * the path of the offending value and its type, e.g.
 * {@code msg.items[3].callback: lambda is not serializable}; or at the receiver for a frame whose
 * values it cannot decode (an unregistered type name, say), in which case a caller gets it as
 * its call's failure instead of waiting for a timeout.
 */
public final class MessageSerializationException extends NoexException {

    private final String path;
    private final String typeName;

    /**
     * @param path where in the message the value sits ({@code msg.items[3]}), or {@code msg}
     * @param typeName the Java type (or wire type name) at fault
     * @param problem what is wrong with it
     */
    public MessageSerializationException(String path, String typeName, String problem) {
        super(path + ": " + problem);
        this.path = path;
        this.typeName = typeName;
    }

    /** @return where in the message the value sits */
    public String path() {
        return path;
    }

    /** @return the type at fault */
    public String typeName() {
        return typeName;
    }
}
