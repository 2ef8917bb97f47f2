package io.noex.distribution.serialization;

/**
 * MessagePack extension type codes for the Java types MessagePack has no native form for.
 * Fixed-size values carry their bytes in the extension payload; composite values are an
 * extension with an empty payload followed by their parts as ordinary values.
 *
 * <pre>
 *   code type          payload / following values
 *    1   Long          8 bytes, big-endian
 *    2   Short         2 bytes
 *    3   Byte          1 byte
 *    4   BigInteger    two's-complement bytes
 *    5   BigDecimal    4-byte scale, then the unscaled value's bytes
 *    6   Set           -, then an array
 *    7   Instant       8-byte seconds, 4-byte nanos
 *    8   Date          8-byte epoch millis
 *    9   LocalDate     8-byte epoch day
 *   10   Duration      8-byte seconds, 4-byte nanos
 *   11   UUID          16 bytes
 *   12   record        -, then its registered name and an array of its components
 *   13   enum          -, then its registered name and the constant's name
 *   14   GenServerRef  -, then its id and its NodeId as a string
 *   15   NodeId        -, then its string form
 *   16   Optional      -, then an array of zero or one value
 *   17   ExitReason    -, then its kind and, for error, message and failure
 *   18   failure       -, then class name, message and stack (an array of 4-string arrays)
 * </pre>
 *
 * Integers are MessagePack ints and decode as {@code Integer}; {@code Float} and {@code Double}
 * are float32 and float64; lists, maps, strings, byte arrays, booleans and null are native.
 */
final class ExtType {

    static final byte LONG = 1;
    static final byte SHORT = 2;
    static final byte BYTE = 3;
    static final byte BIG_INTEGER = 4;
    static final byte BIG_DECIMAL = 5;
    static final byte SET = 6;
    static final byte INSTANT = 7;
    static final byte DATE = 8;
    static final byte LOCAL_DATE = 9;
    static final byte DURATION = 10;
    static final byte UUID = 11;
    static final byte RECORD = 12;
    static final byte ENUM = 13;
    static final byte GEN_SERVER_REF = 14;
    static final byte NODE_ID = 15;
    static final byte OPTIONAL = 16;
    static final byte EXIT_REASON = 17;
    static final byte FAILURE = 18;

    private ExtType() {
    }
}
