package io.noex.cli.demo;

import io.noex.GenServerRef;
import io.noex.NodeId;
import java.util.List;

/**
 * The line protocol between {@code noex demo} and the node JVMs it starts ({@link DemoNodeMain}):
 * plain text, one message a line, fields separated by single spaces, so the demo can follow its
 * nodes without parsing logs.
 *
 * <table class="striped">
 *   <caption>Lines</caption>
 *   <thead><tr><th>line</th><th>direction</th><th>meaning</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code HELLO <pid>}</td><td>node to demo</td><td>the JVM is up and reads commands</td></tr>
 *     <tr><td>{@code <seq> <verb> <args...>}</td><td>demo to node</td><td>a command ({@link DemoNodeCommands} lists the verbs)</td></tr>
 *     <tr><td>{@code OK <seq> <payload>}</td><td>node to demo</td><td>command {@code seq} succeeded</td></tr>
 *     <tr><td>{@code ERR <seq> <Exception>: <message>}</td><td>node to demo</td><td>command {@code seq} threw</td></tr>
 *     <tr><td>{@code EVENT <kind> <args...>}</td><td>node to demo</td><td>something happened on the node, as it happened</td></tr>
 *   </tbody>
 * </table>
 * The end of a node's stdin means the demo is gone: the node exits at once.
 *
 * <p>A {@link GenServerRef} travels as {@code id@name@host:port}: a process id never contains
 * {@code @} (it looks like {@code <k3f9.42>}) and neither do the names the demo registers.
 */
final class DemoWire {

    static final String HELLO = "HELLO";
    static final String OK = "OK";
    static final String ERR = "ERR";
    static final String EVENT = "EVENT";

    private DemoWire() {
    }

    /** @return {@code ref} as one field */
    static String ref(GenServerRef ref) {
        return ref.id() + "@" + ref.nodeId();
    }

    /**
     * @param field a ref written by {@link #ref(GenServerRef)}
     * @return the ref
     * @throws IllegalArgumentException if the field is not one
     */
    static GenServerRef ref(String field) {
        int at = field.indexOf('@');
        if (at <= 0) {
            throw new IllegalArgumentException("not a ref (id@name@host:port): " + field);
        }
        return new GenServerRef(field.substring(0, at), NodeId.parse(field.substring(at + 1)));
    }

    /** @return {@code text} on one line: a line break would split a message in two */
    static String oneLine(String text) {
        return text.replace('\r', ' ').replace('\n', ' ');
    }

    /**
     * @param line a line
     * @return its fields: split at single spaces, at most {@code limit} (the last keeps the rest)
     */
    static List<String> fields(String line, int limit) {
        return List.of(line.split(" ", limit));
    }
}
