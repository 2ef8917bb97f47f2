package io.noex;

/**
 * The character-level checks behind {@link NodeId}: IPv4, IPv6 (with RFC 5952 canonical form) and
 * RFC 1123 host names. Pure functions, no DNS: parsing a NodeId never touches the network.
 */
final class NodeIdRules {

    private NodeIdRules() {
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** A host made only of digits and dots is meant as an IPv4 address and must be a valid one. */
    static boolean looksNumeric(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!isDigit(c) && c != '.') {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return false;
            }
            for (int i = 0; i < p.length(); i++) {
                if (!isDigit(p.charAt(i))) {
                    return false;
                }
            }
            if (Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** @return null when valid, else what is wrong */
    static String hostnameProblem(String host) {
        if (host.length() > 253) {
            return "longer than 253 characters";
        }
        String[] labels = host.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) {
                return "empty label";
            }
            if (label.length() > 63) {
                return "label longer than 63 characters";
            }
            if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
                return "label '" + label + "' starts or ends with '-'";
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!isAsciiLetter(c) && !isDigit(c) && c != '-') {
                    return "character '" + c + "' is not allowed";
                }
            }
        }
        return null;
    }

    static boolean isIpv6(String s) {
        return parseIpv6(s) != null;
    }

    /** @return the canonical text of a valid IPv6 address (RFC 5952: lower case, longest zero run as ::) */
    static String canonicalIpv6(String s) {
        int[] groups = parseIpv6(s);
        if (groups == null) {
            throw new IllegalArgumentException(s);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLen - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /** @return the eight 16-bit groups, or null if {@code s} is not an IPv6 address */
    private static int[] parseIpv6(String s) {
        if (s.isEmpty() || s.length() > 45) {
            return null;
        }
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
        String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
        // RFC 4291 §2.2: a dotted IPv4 part stands for the low-order 32 bits, so it may end the
        // address but never precede "::" (which would put it in the high-order bits: "1.2.3.4::1").
        int[] headGroups = parseGroups(head, doubleColon < 0);
        int[] tailGroups = parseGroups(tail, true);
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        int total = headGroups.length + tailGroups.length;
        if (doubleColon < 0 ? total != 8 : total > 7) {
            return null;
        }
        int[] result = new int[8];
        System.arraycopy(headGroups, 0, result, 0, headGroups.length);
        System.arraycopy(tailGroups, 0, result, 8 - tailGroups.length, tailGroups.length);
        return result;
    }

    /**
     * Parses colon-separated hex groups; when {@code ipv4TailAllowed}, the last may be a dotted IPv4
     * address (two groups).
     */
    private static int[] parseGroups(String part, boolean ipv4TailAllowed) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] pieces = part.split(":", -1);
        int count = pieces.length;
        boolean v4Tail = pieces[count - 1].indexOf('.') >= 0;
        if (v4Tail && !ipv4TailAllowed) {
            return null;
        }
        int[] out = new int[v4Tail ? count + 1 : count];
        for (int i = 0; i < count; i++) {
            String p = pieces[i];
            if (v4Tail && i == count - 1) {
                if (!isIpv4(p)) {
                    return null;
                }
                String[] q = p.split("\\.");
                out[i] = (Integer.parseInt(q[0]) << 8) | Integer.parseInt(q[1]);
                out[i + 1] = (Integer.parseInt(q[2]) << 8) | Integer.parseInt(q[3]);
                break;
            }
            if (p.isEmpty() || p.length() > 4) {
                return null;
            }
            for (int k = 0; k < p.length(); k++) {
                if (!isHex(p.charAt(k))) {
                    return null;
                }
            }
            out[i] = Integer.parseInt(p, 16);
        }
        return out;
    }
}
