package io.noex;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * The identity of a node: {@code name@host:port}, such as {@code worker1@192.168.1.10:4369}.
 *
 * <p>Rules (each broken rule is reported by an {@link InvalidNodeIdException} naming the input):
 * <ul>
 *   <li>{@code name} starts with an ASCII letter, continues with letters, digits, {@code _} or
 *       {@code -}, and has at most 64 characters;</li>
 *   <li>{@code host} is an IPv4 address in dotted-quad form, an IPv6 address (written in brackets
 *       in the string form: {@code a@[::1]:4369}), or an RFC 1123 host name. Host names are
 *       compared case-insensitively (they are stored in lower case) and IPv6 addresses are stored
 *       in their canonical RFC 5952 form, so equal addresses give equal NodeIds;</li>
 *   <li>{@code port} is an integer from 1 to 65535, with nothing after it.</li>
 * </ul>
 *
 * <p>A NodeId is a value: immutable, thread-safe, usable as a map key, and comparable (by name,
 * then host, then port).
 *
 * @param name the node's name
 * @param host the host peers dial, without brackets for IPv6
 * @param port the TCP port peers dial
 */
public record NodeId(String name, String host, int port) implements Comparable<NodeId> {

    /** The longest allowed node name. */
    public static final int MAX_NAME_LENGTH = 64;

    private static final Comparator<NodeId> ORDER = Comparator.comparing(NodeId::name)
            .thenComparing(NodeId::host)
            .thenComparingInt(NodeId::port);

    /**
     * Validates and normalizes the components.
     *
     * @throws InvalidNodeIdException if a component breaks a rule
     */
    public NodeId {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        String input = name + "@" + host + ":" + port;
        checkName(input, name);
        host = normalizeHost(input, host);
        checkPort(input, port);
    }

    /**
     * Creates a NodeId from its components; same as the canonical constructor.
     *
     * @param name the node name
     * @param host an IPv4 address, an IPv6 address (brackets optional) or a host name
     * @param port 1 to 65535
     * @return the NodeId
     * @throws InvalidNodeIdException if a component breaks a rule
     */
    public static NodeId create(String name, String host, int port) {
        return new NodeId(name, host, port);
    }

    /**
     * Parses {@code name@host:port} (IPv6 hosts in brackets).
     *
     * @param text the string form
     * @return the NodeId
     * @throws InvalidNodeIdException naming the input and the rule it breaks
     */
    public static NodeId parse(String text) {
        Objects.requireNonNull(text, "text");
        int at = text.indexOf('@');
        if (at < 0) {
            throw new InvalidNodeIdException(text, "expected name@host:port, found no '@'");
        }
        String name = text.substring(0, at);
        String rest = text.substring(at + 1);
        String host;
        String portText;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new InvalidNodeIdException(text, "IPv6 host opened with '[' but not closed with ']'");
            }
            host = rest.substring(1, close);
            if (close + 1 >= rest.length() || rest.charAt(close + 1) != ':') {
                throw new InvalidNodeIdException(text, "expected ':port' after the bracketed IPv6 host");
            }
            portText = rest.substring(close + 2);
            if (!NodeIdRules.isIpv6(host)) {
                throw new InvalidNodeIdException(text, "host '" + host + "' in brackets is not a valid IPv6 address");
            }
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                throw new InvalidNodeIdException(text, "expected ':port' after the host, found no ':'");
            }
            host = rest.substring(0, colon);
            portText = rest.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new InvalidNodeIdException(text, "an IPv6 host must be written in brackets, as name@[::1]:4369");
            }
        }
        checkName(text, name);
        int port = parsePort(text, portText);
        String normalized = normalizeHost(text, host);
        return new NodeId(name, normalized, port);
    }

    /**
     * Parses like {@link #parse(String)} but reports failure as an empty Optional.
     *
     * @param text the string form, may be null
     * @return the NodeId, or empty if {@code text} is null or invalid
     */
    public static Optional<NodeId> tryParse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(text));
        } catch (InvalidNodeIdException e) {
            return Optional.empty();
        }
    }

    /** @return {@code name@host:port}, with an IPv6 host in brackets */
    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? name + "@[" + host + "]:" + port : name + "@" + host + ":" + port;
    }

    @Override
    public int compareTo(NodeId other) {
        return ORDER.compare(this, other);
    }

    private static void checkName(String input, String name) {
        if (name.isEmpty()) {
            throw new InvalidNodeIdException(input, "name must not be empty");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidNodeIdException(input,
                    "name must have at most " + MAX_NAME_LENGTH + " characters, has " + name.length());
        }
        if (!NodeIdRules.isAsciiLetter(name.charAt(0))) {
            throw new InvalidNodeIdException(input, "name must start with a letter, starts with '" + name.charAt(0) + "'");
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!NodeIdRules.isAsciiLetter(c) && !NodeIdRules.isDigit(c) && c != '_' && c != '-') {
                throw new InvalidNodeIdException(input,
                        "name may contain only letters, digits, '_' and '-', found '" + c + "'");
            }
        }
    }

    private static String normalizeHost(String input, String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            // Brackets are the IPv6 notation only, as in parse: "[localhost]" is no host name.
            String inner = host.substring(1, host.length() - 1);
            if (!NodeIdRules.isIpv6(inner)) {
                throw new InvalidNodeIdException(input, "host '" + inner + "' in brackets is not a valid IPv6 address");
            }
            return NodeIdRules.canonicalIpv6(inner);
        }
        if (host.isEmpty()) {
            throw new InvalidNodeIdException(input, "host must not be empty");
        }
        if (host.indexOf(':') >= 0) {
            if (!NodeIdRules.isIpv6(host)) {
                throw new InvalidNodeIdException(input, "host '" + host + "' is not a valid IPv6 address");
            }
            return NodeIdRules.canonicalIpv6(host);
        }
        if (NodeIdRules.looksNumeric(host)) {
            if (!NodeIdRules.isIpv4(host)) {
                throw new InvalidNodeIdException(input,
                        "host '" + host + "' is not a valid IPv4 address (four numbers 0-255 separated by dots)");
            }
            return host;
        }
        String problem = NodeIdRules.hostnameProblem(host);
        if (problem != null) {
            throw new InvalidNodeIdException(input, "host '" + host + "' is not a valid RFC 1123 host name: " + problem);
        }
        return host.toLowerCase(java.util.Locale.ROOT);
    }

    private static int parsePort(String input, String portText) {
        if (portText.isEmpty() || portText.length() > 5) {
            throw portError(input, portText);
        }
        for (int i = 0; i < portText.length(); i++) {
            if (!NodeIdRules.isDigit(portText.charAt(i))) {
                throw portError(input, portText);
            }
        }
        int port = Integer.parseInt(portText);
        checkPort(input, port);
        return port;
    }

    private static void checkPort(String input, int port) {
        if (port < 1 || port > 65535) {
            throw new InvalidNodeIdException(input, "port must be from 1 to 65535, got " + port);
        }
    }

    private static InvalidNodeIdException portError(String input, String portText) {
        return new InvalidNodeIdException(input,
                "port must be an integer from 1 to 65535 with nothing after it, got '" + portText + "'");
    }
}
