package io.noex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of SPEC §4.1, one nested class per component, then the value semantics and a seeded
 * randomized round trip. Every rejection is checked through {@link #assertRejected}, so each test
 * also pins the error message: it names the input and the rule broken.
 *
 * <p>This file is over 400 lines because it is a table of rules: one short test per rule and
 * boundary, plus the generators for the randomized round trip. Splitting it would scatter the table.
 */
class NodeIdTest {

    /** Asserts that {@code parse(input)} fails, naming the input and a rule containing each fragment. */
    private static void assertRejected(String input, String... ruleFragments) {
        InvalidNodeIdException e = catchThrowableOfType(InvalidNodeIdException.class, () -> NodeId.parse(input));
        assertThat(e).as("parse(\"%s\") should be rejected", input).isNotNull();
        assertNamesInputAndRule(e, input, ruleFragments);
        assertThat(NodeId.tryParse(input)).isEmpty();
    }

    private static void assertCreateRejected(String name, String host, int port, String... ruleFragments) {
        InvalidNodeIdException e = catchThrowableOfType(InvalidNodeIdException.class,
                () -> NodeId.create(name, host, port));
        assertThat(e).as("create(%s, %s, %d) should be rejected", name, host, port).isNotNull();
        assertNamesInputAndRule(e, name + "@" + host + ":" + port, ruleFragments);
    }

    private static void assertNamesInputAndRule(InvalidNodeIdException e, String input, String... ruleFragments) {
        assertThat(e.input()).isEqualTo(input);
        assertThat(e.getMessage()).startsWith("invalid NodeId '" + input + "': ");
        String rule = e.getMessage().substring(("invalid NodeId '" + input + "': ").length());
        for (String fragment : ruleFragments) {
            assertThat(rule).contains(fragment);
        }
    }

    @Nested
    class WellFormed {

        @Test
        void parse_whenWellFormed_returnsComponents() {
            NodeId id = NodeId.parse("worker1@192.168.1.10:4369");

            assertThat(id.name()).isEqualTo("worker1");
            assertThat(id.host()).isEqualTo("192.168.1.10");
            assertThat(id.port()).isEqualTo(4369);
            assertThat(id).hasToString("worker1@192.168.1.10:4369");
        }

        @Test
        void parse_whenHostIsBracketedIpv6_roundTripsThroughToString() {
            NodeId id = NodeId.parse("a@[::1]:4369");

            assertThat(id.host()).as("stored without brackets").isEqualTo("::1");
            assertThat(id.port()).isEqualTo(4369);
            assertThat(id).hasToString("a@[::1]:4369");
            assertThat(NodeId.parse(id.toString())).isEqualTo(id);
        }

        @Test
        void parse_whenHostIsHostName_keepsItInLowerCase() {
            NodeId id = NodeId.parse("db@node-1.eu.example.com:9000");

            assertThat(id.host()).isEqualTo("node-1.eu.example.com");
            assertThat(id).hasToString("db@node-1.eu.example.com:9000");
        }

        @Test
        void parse_whenInputIsNull_throwsNullPointerException() {
            assertThatThrownBy(() -> NodeId.parse(null)).isInstanceOf(NullPointerException.class);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "a", ":", "a:1", "ahost:4369"})
        void parse_whenAtSignIsMissing_namesTheFormat(String input) {
            assertRejected(input, "expected name@host:port", "no '@'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"a@host", "a@", "@"})
        void parse_whenColonIsMissing_namesPortRule(String input) {
            assertRejected(input, "expected ':port' after the host");
        }

        @Test
        void parse_whenPortIsEmpty_namesPortRule() {
            assertRejected("a@host:", "port must be an integer from 1 to 65535", "''");
        }

        @Test
        void parse_whenHostIsEmpty_namesHostRule() {
            assertRejected("a@:4369", "host must not be empty");
        }
    }

    @Nested
    class Name {

        @Test
        void parse_whenNameStartsWithDigit_namesLetterRule() {
            assertRejected("1a@h:1", "name must start with a letter", "'1'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"_a@h:1", "-a@h:1"})
        void parse_whenNameStartsWithUnderscoreOrHyphen_namesLetterRule(String input) {
            assertRejected(input, "name must start with a letter");
        }

        @Test
        void parse_whenNameIsEmpty_namesEmptyRule() {
            assertRejected("@h:1", "name must not be empty");
        }

        @Test
        void parse_whenNameHas64Characters_accepts() {
            String name = "n" + "x".repeat(63);

            assertThat(NodeId.parse(name + "@h:1").name()).hasSize(NodeId.MAX_NAME_LENGTH).isEqualTo(name);
        }

        @Test
        void parse_whenNameHas65Characters_namesLengthRule() {
            assertRejected("n" + "x".repeat(64) + "@h:1", "at most 64 characters", "has 65");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "a.b@h:1 | '.'",
                "a b@h:1 | ' '",
                "a+b@h:1 | '+'",
                "a\u00e9@h:1 | '\u00e9'",
                "a\u0661@h:1 | '\u0661'"})
        void parse_whenNameHasForbiddenCharacter_namesTheCharacter(String input, String shown) {
            assertRejected(input, "letters, digits, '_' and '-'", shown);
        }

        @Test
        void parse_whenNameStartsWithNonAsciiLetter_namesLetterRule() {
            assertRejected("\u00e9a@h:1", "must start with a letter");
        }

        @Test
        void parse_whenNameUsesLettersDigitsUnderscoresAndHyphens_accepts() {
            assertThat(NodeId.parse("aZ_09-x@h:1").name()).isEqualTo("aZ_09-x");
        }

        @Test
        void parse_whenNamesDifferOnlyInCase_givesDifferentIds() {
            assertThat(NodeId.parse("Worker@h:1")).isNotEqualTo(NodeId.parse("worker@h:1"));
        }
    }

    @Nested
    class Port {

        @Test
        void parse_whenPortHasTrailingCharacters_namesPortRule() {
            assertRejected("a@h:4369xyz", "port must be an integer from 1 to 65535 with nothing after it",
                    "'4369xyz'");
            assertRejected("a@h:4369 ", "nothing after it", "'4369 '");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "65536", "99999"})
        void parse_whenPortIsOutOfRange_namesRange(String port) {
            assertRejected("a@h:" + port, "port must be from 1 to 65535, got " + port);
        }

        @ParameterizedTest
        @ValueSource(strings = {"100000", "4294967297", "-1", "+1", "http", "1e3", "0x10", "\u0661"})
        void parse_whenPortIsNotAPlainInteger_namesPortRule(String port) {
            assertRejected("a@h:" + port, "port must be an integer from 1 to 65535", "'" + port + "'");
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 4369, 65535})
        void parse_whenPortIsWithinRange_accepts(int port) {
            assertThat(NodeId.parse("a@h:" + port).port()).isEqualTo(port);
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -1, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE})
        void create_whenPortIsOutOfRange_namesRange(int port) {
            assertCreateRejected("a", "h", port, "port must be from 1 to 65535, got " + port);
        }
    }

    @Nested
    class Ipv4Host {

        @Test
        void parse_whenOctetExceeds255_namesIpv4Rule() {
            assertRejected("a@256.0.0.1:1", "host '256.0.0.1' is not a valid IPv4 address", "0-255");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1.2.3", "1.2.3.4.5", "01.2.3.4", "1..2.3", "1.2.3.", ".1.2.3", "1234.1.1.1", "123"})
        void parse_whenAllDigitsAndDotsButNotFourOctets_namesIpv4Rule(String host) {
            assertRejected("a@" + host + ":1", "host '" + host + "' is not a valid IPv4 address");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "255.255.255.255", "10.0.100.9"})
        void parse_whenIpv4IsValid_keepsItAsWritten(String host) {
            assertThat(NodeId.parse("a@" + host + ":1").host()).isEqualTo(host);
        }
    }

    @Nested
    class Ipv6Host {

        @ParameterizedTest
        @ValueSource(strings = {"a@::1:4369", "a@fe80::1:4369", "a@2001:db8::7:80"})
        void parse_whenIpv6IsNotBracketed_explainsBrackets(String input) {
            assertRejected(input, "an IPv6 host must be written in brackets", "name@[::1]:4369");
        }

        @Test
        void parse_whenBracketIsNotClosed_namesBracketRule() {
            assertRejected("a@[::1:4369", "opened with '[' but not closed with ']'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"a@[::1]", "a@[::1]4369", "a@[::1]x:4369"})
        void parse_whenNoColonFollowsBracket_namesPortRule(String input) {
            assertRejected(input, "expected ':port' after the bracketed IPv6 host");
        }

        @Test
        void parse_whenPortAfterBracketHasTrailingCharacters_namesPortRule() {
            assertRejected("a@[::1]:4369xyz", "nothing after it", "'4369xyz'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"localhost", "1.2.3.4", "", "::g", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::1",
                "fe80::1%eth0", ":1::", "1:2:3:4:5:6:7", "1:2:3:4::5:6:7:8"})
        void parse_whenBracketedHostIsNotIpv6_namesIpv6Rule(String host) {
            assertRejected("a@[" + host + "]:1", "host '" + host + "' in brackets is not a valid IPv6 address");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1.2.3.4::1", "1:1.2.3.4::", "::1.2.3.4:1", "1.2.3.4:1:2:3:4:5:6"})
        void parse_whenEmbeddedIpv4IsNotTheLast32Bits_namesIpv6Rule(String host) {
            // RFC 4291 §2.2: the dotted IPv4 part may only stand for the low-order 32 bits.
            assertRejected("a@[" + host + "]:1", "not a valid IPv6 address");
        }

        @ParameterizedTest
        @CsvSource({
                "::1, 0:0:0:0:0:0:0:1",
                "2001:db8::1, 2001:0DB8:0000:0000:0000:0000:0000:0001",
                "::ffff:c000:201, ::ffff:192.0.2.1",
                "fe80::, FE80:0:0:0:0:0:0:0",
                "::, 0:0::0"})
        void parse_whenIpv6IsWrittenDifferently_givesEqualIds(String canonical, String other) {
            NodeId a = NodeId.parse("a@[" + canonical + "]:1");
            NodeId b = NodeId.parse("a@[" + other + "]:1");

            assertThat(b).isEqualTo(a).hasSameHashCodeAs(a);
            assertThat(b.host()).isEqualTo(canonical);
        }

        @ParameterizedTest
        @CsvSource({
                "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
                "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
                "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
                "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
                "ABCD:EF01::, abcd:ef01::"})
        void parse_whenIpv6IsValid_storesRfc5952CanonicalForm(String written, String canonical) {
            assertThat(NodeId.parse("a@[" + written + "]:1").host()).isEqualTo(canonical);
        }

        @Test
        void parse_whenIpv6HasEmbeddedIpv4Tail_accepts() {
            assertThat(NodeId.parse("a@[64:ff9b::192.0.2.33]:1").host()).isEqualTo("64:ff9b::c000:221");
        }
    }

    @Nested
    class HostName {

        @Test
        void parse_whenHostDiffersOnlyInCase_givesEqualIds() {
            NodeId upper = NodeId.parse("a@Node-1.Example.COM:1");

            assertThat(upper).isEqualTo(NodeId.parse("a@node-1.example.com:1"));
            assertThat(upper.host()).isEqualTo("node-1.example.com");
        }

        @ParameterizedTest
        @ValueSource(strings = {"localhost", "my-host", "3com.example", "a.b.c", "x1", "host.123a"})
        void parse_whenHostNameFollowsRfc1123_accepts(String host) {
            assertThat(NodeId.parse("a@" + host + ":1").host()).isEqualTo(host);
        }

        @ParameterizedTest
        @ValueSource(strings = {"-host", "host-", "a.-b.c", "a.b-.c"})
        void parse_whenLabelStartsOrEndsWithHyphen_namesHyphenRule(String host) {
            assertRejected("a@" + host + ":1", "not a valid RFC 1123 host name", "starts or ends with '-'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"a..b", ".a", "a."})
        void parse_whenLabelIsEmpty_namesEmptyLabelRule(String host) {
            assertRejected("a@" + host + ":1", "not a valid RFC 1123 host name", "empty label");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {"my_host | '_'", "*.example | '*'", "h\u00f6st | '\u00f6'", "a@b | '@'"})
        void parse_whenHostHasForbiddenCharacter_namesTheCharacter(String host, String shown) {
            assertRejected("a@" + host + ":1", "not a valid RFC 1123 host name", shown, "not allowed");
        }

        @Test
        void parse_whenLabelHas63Characters_accepts() {
            String host = "l".repeat(63) + ".example";

            assertThat(NodeId.parse("a@" + host + ":1").host()).isEqualTo(host);
        }

        @Test
        void parse_whenLabelHas64Characters_namesLabelLengthRule() {
            assertRejected("a@" + "l".repeat(64) + ".example:1", "label longer than 63 characters");
        }

        @Test
        void parse_whenHostNameHas253Characters_accepts() {
            String host = hostNameOfLength(253);

            assertThat(NodeId.parse("a@" + host + ":1").host()).hasSize(253);
        }

        @Test
        void parse_whenHostNameHas254Characters_namesLengthRule() {
            assertRejected("a@" + hostNameOfLength(254) + ":1", "longer than 253 characters");
        }

        /** Labels of at most 63 letters joined by dots, exactly {@code length} characters long. */
        private static String hostNameOfLength(int length) {
            StringBuilder host = new StringBuilder();
            while (host.length() < length) {
                if (host.length() > 0) {
                    host.append('.');
                }
                int label = Math.min(63, length - host.length());
                host.append("h".repeat(label));
            }
            assertThat(host).hasSize(length);
            return host.toString();
        }
    }

    @Nested
    class Create {

        @ParameterizedTest
        @CsvSource({
                "worker1, 192.168.1.10, 4369, worker1@192.168.1.10:4369",
                "a, LocalHost, 1, a@localhost:1",
                "a, ::1, 4369, a@[::1]:4369",
                "a, [::1], 4369, a@[::1]:4369",
                "a, 0:0:0:0:0:0:0:1, 4369, a@[::1]:4369"})
        void create_whenComponentsAreValid_equalsParseOfStringForm(String name, String host, int port, String text) {
            NodeId created = NodeId.create(name, host, port);

            assertThat(created).isEqualTo(NodeId.parse(text)).isEqualTo(new NodeId(name, host, port));
            assertThat(created).hasToString(text);
        }

        @ParameterizedTest
        @ValueSource(strings = {"[localhost]", "[1.2.3.4]", "[]"})
        void create_whenBracketsEncloseNonIpv6Host_namesIpv6Rule(String host) {
            // Brackets are the IPv6 notation only (SPEC §4.1), as in parse: "a@[localhost]:1" is rejected too.
            assertCreateRejected("a", host, 1, "in brackets is not a valid IPv6 address");
        }

        @Test
        void create_whenNameIsInvalid_namesComposedInputAndRule() {
            assertCreateRejected("9lives", "h", 1, "name must start with a letter");
        }

        @Test
        void create_whenHostIsInvalid_namesComposedInputAndRule() {
            assertCreateRejected("a", "bad_host", 1, "not a valid RFC 1123 host name");
            assertCreateRejected("a", "", 1, "host must not be empty");
            assertCreateRejected("a", "1::2::3", 1, "not a valid IPv6 address");
        }

        @Test
        void create_whenComponentIsNull_throwsNullPointerException() {
            assertThatThrownBy(() -> NodeId.create(null, "h", 1)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> NodeId.create("a", null, 1)).isInstanceOf(NullPointerException.class);
        }
    }

    @Nested
    class TryParse {

        @Test
        void tryParse_whenInputIsNull_returnsEmpty() {
            assertThat(NodeId.tryParse(null)).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "a", "a@h", "a@h:0", "1a@h:1", "a@[::1:1", "a@::1:1", "a@256.1.1.1:1"})
        void tryParse_whenInputIsInvalid_returnsEmpty(String input) {
            assertThat(NodeId.tryParse(input)).isEmpty();
        }

        @Test
        void tryParse_whenInputIsValid_returnsParsedId() {
            assertThat(NodeId.tryParse("a@[::1]:4369")).contains(NodeId.parse("a@[::1]:4369"));
        }
    }

    @Nested
    class Ordering {

        @Test
        void compareTo_ordersByNameThenHostThenPortNumerically() {
            List<NodeId> sorted = List.of(
                    NodeId.parse("a@a.example:9"),
                    NodeId.parse("a@a.example:10"),
                    NodeId.parse("a@b.example:1"),
                    NodeId.parse("b@a.example:1"));
            List<NodeId> shuffled = new ArrayList<>(sorted);
            Collections.shuffle(shuffled, new Random(7));
            Collections.sort(shuffled);

            assertThat(shuffled).containsExactlyElementsOf(sorted);
        }

        @Test
        void compareTo_isZeroExactlyForEqualIds() {
            NodeId a = NodeId.parse("a@[::1]:1");

            assertThat(a.compareTo(NodeId.create("a", "0:0:0:0:0:0:0:1", 1))).isZero();
            assertThat(a.compareTo(NodeId.parse("a@[::1]:2"))).isNegative();
            assertThat(NodeId.parse("a@[::1]:2").compareTo(a)).isPositive();
        }
    }

    @Nested
    class Randomized {

        private static final String NAME_START = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        private static final String NAME_REST = NAME_START + "0123456789_-";
        private static final String LABEL_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";

        @Test
        void parseOfToString_forRandomValidIds_givesTheSameId() {
            Random random = new Random(4369);
            for (int i = 0; i < 5000; i++) {
                String name = randomName(random);
                int port = 1 + random.nextInt(65535);
                String host;
                String expectedHost;
                switch (random.nextInt(3)) {
                    case 0 -> {
                        host = randomIpv4(random);
                        expectedHost = host;
                    }
                    case 1 -> {
                        int[] groups = randomIpv6Groups(random);
                        host = randomIpv6Text(random, groups);
                        expectedHost = rfc5952(groups);
                        assertThat(addressBytes(expectedHost)).as(host).isEqualTo(bytesOf(groups));
                    }
                    default -> {
                        host = randomHostName(random);
                        expectedHost = host.toLowerCase(java.util.Locale.ROOT);
                    }
                }

                NodeId id = NodeId.create(name, host, port);
                String text = id.toString();

                assertThat(id.host()).as("host %s", host).isEqualTo(expectedHost);
                assertThat(NodeId.parse(text)).as(text).isEqualTo(id);
                assertThat(NodeId.parse(text)).as(text).hasToString(text);
            }
        }

        @Test
        void tryParse_forRandomlyMutatedIds_neverThrowsAndRoundTripsWhatItAccepts() {
            Random random = new Random(65535);
            String[] seeds = {"a@h:1", "ab@[::1]:4369", "n1@10.0.0.1:80", "x-y@host.example:65535",
                    "q@[2001:db8::192.0.2.1]:9"};
            String alphabet = "aZ09_-.:@[]%x \u00e9";
            int accepted = 0;
            int rejected = 0;
            for (int i = 0; i < 20000; i++) {
                StringBuilder s = new StringBuilder(seeds[random.nextInt(seeds.length)]);
                for (int m = 1 + random.nextInt(3); m > 0; m--) {
                    int at = random.nextInt(s.length() + 1);
                    char c = alphabet.charAt(random.nextInt(alphabet.length()));
                    switch (random.nextInt(3)) {
                        case 0 -> s.insert(at, c);
                        case 1 -> s.deleteCharAt(Math.min(at, s.length() - 1));
                        default -> s.setCharAt(Math.min(at, s.length() - 1), c);
                    }
                    if (s.isEmpty()) {
                        break;
                    }
                }
                Optional<NodeId> id = NodeId.tryParse(s.toString());
                if (id.isPresent()) {
                    accepted++;
                    assertThat(NodeId.parse(id.get().toString())).as(s.toString()).isEqualTo(id.get());
                } else {
                    rejected++;
                    assertThatThrownBy(() -> NodeId.parse(s.toString())).isInstanceOf(InvalidNodeIdException.class);
                }
            }
            assertThat(accepted).as("mutations that keep the id valid").isGreaterThan(1000);
            assertThat(rejected).as("mutations that break a rule").isGreaterThan(1000);
        }

        private static String randomName(Random random) {
            int length = 1 + random.nextInt(NodeId.MAX_NAME_LENGTH);
            StringBuilder name = new StringBuilder().append(NAME_START.charAt(random.nextInt(NAME_START.length())));
            for (int i = 1; i < length; i++) {
                name.append(NAME_REST.charAt(random.nextInt(NAME_REST.length())));
            }
            return name.toString();
        }

        private static String randomIpv4(Random random) {
            return random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                    + random.nextInt(256);
        }

        /** Labels of letters, digits and inner hyphens; the first starts with a letter so it is never numeric. */
        private static String randomHostName(Random random) {
            String host;
            do {
                host = randomLabels(random);
            } while (host.length() > 253);
            return host;
        }

        private static String randomLabels(Random random) {
            StringBuilder host = new StringBuilder();
            int labels = 1 + random.nextInt(4);
            for (int l = 0; l < labels; l++) {
                int length = 1 + random.nextInt(random.nextInt(10) == 0 ? 63 : 12);
                StringBuilder label = new StringBuilder();
                for (int i = 0; i < length; i++) {
                    boolean edge = i == 0 || i == length - 1;
                    String chars = edge ? LABEL_CHARS.substring(0, LABEL_CHARS.length() - 1) : LABEL_CHARS;
                    if (l == 0 && i == 0) {
                        chars = NAME_START;
                    }
                    label.append(chars.charAt(random.nextInt(chars.length())));
                }
                if (l > 0) {
                    host.append('.');
                }
                host.append(label);
            }
            return host.toString();
        }

        /** Eight groups, zero with high probability so that runs of zeros (and "::") are common. */
        private static int[] randomIpv6Groups(Random random) {
            int[] groups = new int[8];
            for (int i = 0; i < 8; i++) {
                groups[i] = random.nextInt(5) < 2 ? 0 : random.nextInt(65536);
            }
            return groups;
        }

        /** One of the many textual forms of the address: any case, leading zeros, any zero run as "::". */
        private static String randomIpv6Text(Random random, int[] groups) {
            String[] parts = new String[8];
            for (int i = 0; i < 8; i++) {
                String hex = Integer.toHexString(groups[i]);
                if (random.nextBoolean()) {
                    hex = "0".repeat(random.nextInt(5 - hex.length())) + hex;
                }
                parts[i] = random.nextBoolean() ? hex.toUpperCase(java.util.Locale.ROOT) : hex;
            }
            List<int[]> zeroRuns = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                for (int j = i; j < 8 && groups[j] == 0; j++) {
                    zeroRuns.add(new int[] {i, j + 1});
                }
            }
            boolean dottedTail = random.nextInt(8) == 0;
            int last = dottedTail ? 6 : 8;
            String tail = dottedTail ? ((groups[6] >> 8) + "." + (groups[6] & 0xff) + "." + (groups[7] >> 8) + "."
                    + (groups[7] & 0xff)) : null;
            zeroRuns.removeIf(run -> run[1] > last);
            if (zeroRuns.isEmpty() || random.nextBoolean()) {
                List<String> all = new ArrayList<>(List.of(parts).subList(0, last));
                if (tail != null) {
                    all.add(tail);
                }
                return String.join(":", all);
            }
            int[] run = zeroRuns.get(random.nextInt(zeroRuns.size()));
            List<String> after = new ArrayList<>(List.of(parts).subList(run[1], last));
            if (tail != null) {
                after.add(tail);
            }
            return String.join(":", List.of(parts).subList(0, run[0])) + "::" + String.join(":", after);
        }

        /** An independent RFC 5952 §4 formatter, the oracle for the canonical form. */
        private static String rfc5952(int[] groups) {
            int bestStart = -1;
            int bestLength = 1;
            for (int i = 0; i < 8; i++) {
                int j = i;
                while (j < 8 && groups[j] == 0) {
                    j++;
                }
                if (j - i > bestLength) {
                    bestStart = i;
                    bestLength = j - i;
                }
            }
            List<String> head = new ArrayList<>();
            List<String> tail = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                if (bestStart >= 0 && i >= bestStart && i < bestStart + bestLength) {
                    continue;
                }
                (bestStart >= 0 && i >= bestStart ? tail : head).add(Integer.toHexString(groups[i]));
            }
            return bestStart < 0 ? String.join(":", head) : String.join(":", head) + "::" + String.join(":", tail);
        }

        private static byte[] bytesOf(int[] groups) {
            byte[] bytes = new byte[16];
            for (int i = 0; i < 8; i++) {
                bytes[2 * i] = (byte) (groups[i] >> 8);
                bytes[2 * i + 1] = (byte) groups[i];
            }
            return bytes;
        }

        /** The JDK's reading of an IPv6 literal (no DNS lookup happens for a literal). */
        private static byte[] addressBytes(String ipv6) {
            try {
                InetAddress address = InetAddress.getByName("[" + ipv6 + "]");
                if (address instanceof Inet4Address v4) {
                    // The JDK turns an IPv4-mapped address (::ffff:a.b.c.d) into an Inet4Address.
                    byte[] mapped = new byte[16];
                    mapped[10] = (byte) 0xff;
                    mapped[11] = (byte) 0xff;
                    System.arraycopy(v4.getAddress(), 0, mapped, 12, 4);
                    return mapped;
                }
                return address.getAddress();
            } catch (UnknownHostException e) {
                throw new AssertionError("not an IPv6 literal: " + ipv6, e);
            }
        }
    }

    @Test
    void invalidNodeIdException_keepsInputAsGivenAndIsANoexException() {
        InvalidNodeIdException e = catchThrowableOfType(InvalidNodeIdException.class,
                () -> NodeId.parse("a@h:0"));

        assertThat(e).isInstanceOf(NoexException.class);
        assertThat(e.input()).isEqualTo("a@h:0");
        assertThat(e).hasMessage("invalid NodeId 'a@h:0': port must be from 1 to 65535, got 0");
    }
}
