package io.noex.distribution.serialization;

import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.InvalidNodeIdException;
import io.noex.NodeId;
import io.noex.distribution.MessageSerializationException;
import io.noex.distribution.RemoteFailure;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Reads values written by {@link ValueWriter}, defensively: the bytes come from the network.
 * Every length or count is checked against the bytes actually left before anything is allocated
 * (each element takes at least one byte), and what is reserved up front for a collection is
 * capped, so a declared size never costs more than the bytes that follow it; nesting is bounded
 * on every path (extensions followed by more values included), and only registered records and
 * enums are built. Any violation is a {@link MessageSerializationException}; nothing else escapes.
 *
 * <p>Threading: not thread-safe; one reader per frame.
 */
public final class ValueReader {

    /** The most elements reserved for up front (see {@link #presize}). */
    private static final int PRESIZE_LIMIT = 1024;

    private final TypeRegistry types;
    private final MessageUnpacker in;
    private final long inputLength;
    private int depth;

    /**
     * @param types the registered records and enums
     * @param in the unpacker over the frame
     * @param inputLength how many bytes the unpacker's input has in total
     */
    public ValueReader(TypeRegistry types, MessageUnpacker in, long inputLength) {
        this.types = types;
        this.in = in;
        this.inputLength = inputLength;
    }

    /**
     * @param what names the value in errors ({@code msg}, {@code reply})
     * @return the next value
     * @throws MessageSerializationException if it is malformed, too large or of an unknown type
     */
    public Object read(String what) {
        try {
            return value(what);
        } catch (MessageSerializationException e) {
            throw e;
        } catch (IOException | MessagePackException | IllegalArgumentException | DateTimeException
                 | ArithmeticException | IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            throw new MessageSerializationException(what, "?", "undecodable value: " + e);
        }
    }

    private long remaining() {
        return inputLength - in.getTotalReadBytes();
    }

    private int checkedCount(String what, long count, int bytesPerItem) {
        if (count < 0 || count * bytesPerItem > remaining()) {
            throw new MessageSerializationException(what, "?",
                    "declares " + count + " items/bytes but only " + remaining() + " bytes are left in the frame");
        }
        return (int) count;
    }

    private Object value(String what) throws IOException {
        if (!in.hasNext()) {
            throw new MessageSerializationException(what, "?", "frame ends where a value was expected");
        }
        MessageFormat format = in.getNextFormat();
        ValueType vt = format.getValueType();
        switch (vt) {
            case NIL -> {
                in.unpackNil();
                return null;
            }
            case BOOLEAN -> {
                return in.unpackBoolean();
            }
            case INTEGER -> {
                if (format == MessageFormat.UINT64) {
                    throw new MessageSerializationException(what, "uint64", "unsigned 64-bit integers are not part of the protocol");
                }
                long l = in.unpackLong();
                return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Object) (int) l : (Object) l;
            }
            case FLOAT -> {
                return format == MessageFormat.FLOAT32 ? (Object) in.unpackFloat() : (Object) in.unpackDouble();
            }
            case STRING -> {
                return string(what);
            }
            case BINARY -> {
                int len = checkedCount(what, in.unpackBinaryHeader(), 1);
                return in.readPayload(len);
            }
            case ARRAY -> {
                int n = checkedCount(what, in.unpackArrayHeader(), 1);
                enter(what);
                List<Object> list = new ArrayList<>(presize(n));
                for (int i = 0; i < n; i++) {
                    list.add(value(what));
                }
                depth--;
                return list;
            }
            case MAP -> {
                int n = checkedCount(what, in.unpackMapHeader(), 2);
                enter(what);
                Map<Object, Object> map = new LinkedHashMap<>(Math.max(4, presize(n) * 4 / 3 + 1));
                for (int i = 0; i < n; i++) {
                    Object k = value(what);
                    map.put(k, value(what));
                }
                depth--;
                return map;
            }
            case EXTENSION -> {
                return extension(what);
            }
            default -> throw new MessageSerializationException(what, vt.toString(), "unsupported MessagePack type " + vt);
        }
    }

    /**
     * The capacity to reserve for a collection that declares {@code n} elements: at most
     * {@link #PRESIZE_LIMIT}, so what is allocated before the elements are read never depends on
     * a count the peer wrote (a million duplicate map keys would otherwise cost a table for a
     * million); past that, the collection grows with the elements actually read.
     */
    private static int presize(int n) {
        return Math.min(n, PRESIZE_LIMIT);
    }

    /**
     * Reads a value that must be an array, checking the format before reading it, so that an
     * extension followed by another extension (a set of a set of ...) cannot recurse without
     * passing the nesting check of the array.
     */
    private List<?> array(String what, String type, String message) throws IOException {
        if (!in.hasNext() || in.getNextFormat().getValueType() != ValueType.ARRAY) {
            throw new MessageSerializationException(what, type, message);
        }
        return (List<?>) value(what);
    }

    private String string(String what) throws IOException {
        int len = checkedCount(what, in.unpackRawStringHeader(), 1);
        return new String(in.readPayload(len), StandardCharsets.UTF_8);
    }

    private byte[] payload(String what, int len, int expected) throws IOException {
        if (expected >= 0 && len != expected) {
            throw new MessageSerializationException(what, "ext", "extension payload of " + len + " bytes, expected " + expected);
        }
        return in.readPayload(checkedCount(what, len, 1));
    }

    private Object extension(String what) throws IOException {
        var header = in.unpackExtensionTypeHeader();
        int len = header.getLength();
        switch (header.getType()) {
            case ExtType.LONG -> {
                return ByteBuffer.wrap(payload(what, len, 8)).getLong();
            }
            case ExtType.SHORT -> {
                return ByteBuffer.wrap(payload(what, len, 2)).getShort();
            }
            case ExtType.BYTE -> {
                return payload(what, len, 1)[0];
            }
            case ExtType.BIG_INTEGER -> {
                byte[] b = payload(what, len, -1);
                if (b.length == 0) {
                    throw new MessageSerializationException(what, "BigInteger", "empty BigInteger payload");
                }
                return new BigInteger(b);
            }
            case ExtType.BIG_DECIMAL -> {
                ByteBuffer b = ByteBuffer.wrap(payload(what, len, -1));
                int scale = b.getInt();
                byte[] unscaled = new byte[b.remaining()];
                b.get(unscaled);
                if (unscaled.length == 0) {
                    throw new MessageSerializationException(what, "BigDecimal", "empty BigDecimal payload");
                }
                return new BigDecimal(new BigInteger(unscaled), scale);
            }
            case ExtType.INSTANT -> {
                ByteBuffer b = ByteBuffer.wrap(payload(what, len, 12));
                return Instant.ofEpochSecond(b.getLong(), b.getInt());
            }
            case ExtType.DATE -> {
                return new Date(ByteBuffer.wrap(payload(what, len, 8)).getLong());
            }
            case ExtType.LOCAL_DATE -> {
                return LocalDate.ofEpochDay(ByteBuffer.wrap(payload(what, len, 8)).getLong());
            }
            case ExtType.DURATION -> {
                ByteBuffer b = ByteBuffer.wrap(payload(what, len, 12));
                return Duration.ofSeconds(b.getLong(), b.getInt());
            }
            case ExtType.UUID -> {
                ByteBuffer b = ByteBuffer.wrap(payload(what, len, 16));
                return new UUID(b.getLong(), b.getLong());
            }
            default -> {
                payload(what, len, 0);
                return compound(what, header.getType());
            }
        }
    }

    private Object compound(String what, byte type) throws IOException {
        switch (type) {
            case ExtType.SET -> {
                Set<Object> set = new LinkedHashSet<>(array(what, "Set", "a set must be followed by an array"));
                return set;
            }
            case ExtType.RECORD -> {
                return record(what);
            }
            case ExtType.ENUM -> {
                String name = string(what);
                String constant = string(what);
                Class<?> enumType = types.typeNamed(name);
                if (enumType == null || !enumType.isEnum()) {
                    throw new MessageSerializationException(what, name, "enum '" + name + "' is not registered on this node");
                }
                for (Object c : enumType.getEnumConstants()) {
                    if (((Enum<?>) c).name().equals(constant)) {
                        return c;
                    }
                }
                throw new MessageSerializationException(what, name, "enum '" + name + "' has no constant " + constant);
            }
            case ExtType.GEN_SERVER_REF -> {
                String id = string(what);
                NodeId node = nodeId(what, string(what));
                if (id.isEmpty()) {
                    throw new MessageSerializationException(what, "GenServerRef", "empty process id");
                }
                return new GenServerRef(id, node);
            }
            case ExtType.NODE_ID -> {
                return nodeId(what, string(what));
            }
            case ExtType.OPTIONAL -> {
                List<?> list = array(what, "Optional", "an Optional must be followed by an array of 0 or 1 values");
                if (list.size() > 1) {
                    throw new MessageSerializationException(what, "Optional", "an Optional must be followed by an array of 0 or 1 values");
                }
                return list.isEmpty() ? Optional.empty() : Optional.ofNullable(list.get(0));
            }
            case ExtType.EXIT_REASON -> {
                return exitReason(what);
            }
            case ExtType.FAILURE -> {
                return failure(what);
            }
            default -> throw new MessageSerializationException(what, "ext " + type, "unknown extension type " + type);
        }
    }

    private Object record(String what) throws IOException {
        String name = string(what);
        Class<?> type = types.typeNamed(name);
        TypeRegistry.RecordType rt = type == null ? null : types.record(type);
        if (rt == null) {
            throw new MessageSerializationException(what, name,
                    "record '" + name + "' is not registered on this node (Serialization.register)");
        }
        int n = checkedCount(what, in.unpackArrayHeader(), 1);
        if (n != rt.components().length) {
            throw new MessageSerializationException(what, name,
                    "record '" + name + "' has " + rt.components().length + " components here, the frame has " + n);
        }
        enter(what);
        Object[] args = new Object[n];
        for (int i = 0; i < n; i++) {
            Object v = value(what);
            Class<?> expected = rt.components()[i].getType();
            if (!fits(expected, v)) {
                throw new MessageSerializationException(what + "." + rt.components()[i].getName(), name,
                        "expected " + expected.getName() + ", got " + (v == null ? "null" : v.getClass().getName()));
            }
            args[i] = v;
        }
        depth--;
        try {
            return rt.constructor().invoke(args);
        } catch (Throwable t) {
            throw new MessageSerializationException(what, name, "the constructor of record '" + name + "' threw " + t);
        }
    }

    private static boolean fits(Class<?> expected, Object v) {
        if (v == null) {
            return !expected.isPrimitive();
        }
        if (expected.isPrimitive()) {
            return switch (expected.getName()) {
                case "int" -> v instanceof Integer;
                case "long" -> v instanceof Long;
                case "boolean" -> v instanceof Boolean;
                case "double" -> v instanceof Double;
                case "float" -> v instanceof Float;
                case "short" -> v instanceof Short;
                case "byte" -> v instanceof Byte;
                default -> false;
            };
        }
        return expected.isInstance(v);
    }

    private Object exitReason(String what) throws IOException {
        String kind = string(what);
        return switch (kind) {
            case "normal" -> ExitReason.normal();
            case "shutdown" -> ExitReason.shutdown();
            case "killed" -> ExitReason.killed();
            case "noproc" -> ExitReason.noproc();
            case "noconnection" -> ExitReason.noconnection();
            case "error" -> {
                String message = string(what);
                if (in.tryUnpackNil()) {
                    yield ExitReason.error(message);
                }
                // Only a failure may follow (read here, not through value(), so that an exit
                // reason cannot nest another exit reason without bound).
                if (in.getNextFormat().getValueType() != ValueType.EXTENSION) {
                    throw new MessageSerializationException(what, "ExitReason", "error cause must be a failure");
                }
                var header = in.unpackExtensionTypeHeader();
                if (header.getType() != ExtType.FAILURE || header.getLength() != 0) {
                    throw new MessageSerializationException(what, "ExitReason", "error cause must be a failure");
                }
                yield ExitReason.error(message, failure(what));
            }
            default -> throw new MessageSerializationException(what, "ExitReason", "unknown exit reason kind '" + kind + "'");
        };
    }

    private RemoteFailure failure(String what) throws IOException {
        String className = string(what);
        String message = null;
        if (!in.tryUnpackNil()) {
            if (in.getNextFormat().getValueType() != ValueType.STRING) {
                throw new MessageSerializationException(what, "failure", "failure message must be a string");
            }
            message = string(what);
        }
        int n = checkedCount(what, in.unpackArrayHeader(), 1);
        List<StackTraceElement> stack = new ArrayList<>(presize(n));
        for (int i = 0; i < n; i++) {
            if (in.unpackArrayHeader() != 4) {
                throw new MessageSerializationException(what, "failure", "stack element must have 4 parts");
            }
            String cls = string(what);
            String method = string(what);
            String file = string(what);
            int line = in.unpackInt();
            stack.add(new StackTraceElement(cls, method, "null".equals(file) ? null : file, line));
        }
        return new RemoteFailure(className, message, stack);
    }

    private static NodeId nodeId(String what, String text) {
        try {
            return NodeId.parse(text);
        } catch (InvalidNodeIdException e) {
            throw new MessageSerializationException(what, "NodeId", e.getMessage());
        }
    }

    private void enter(String what) {
        if (++depth > ValueWriter.MAX_DEPTH) {
            throw new MessageSerializationException(what, "?", "nested deeper than " + ValueWriter.MAX_DEPTH + " levels");
        }
    }
}
