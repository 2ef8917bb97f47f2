package io.noex.distribution.serialization;

import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.NodeId;
import io.noex.distribution.MessageSerializationException;
import io.noex.distribution.RemoteFailure;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.msgpack.core.MessagePacker;

/**
 * Writes user values (SPEC 4.4) as MessagePack, refusing anything a receiver could not rebuild.
 * A refusal names the path of the value and its type ({@code msg.items[3].callback: lambda is not
 * serializable}); the path is assembled only on that failure path, while the exception unwinds,
 * so the success path pays nothing for it. Cycles are detected against the containers on the
 * current path (a shared, acyclic reference is fine and is written twice).
 *
 * <p>Threading: not thread-safe; one writer per encoding.
 */
public final class ValueWriter {

    /** Deeper nesting than this is refused (it is almost certainly a mistake, and it bounds the stack). */
    static final int MAX_DEPTH = 256;

    /** Unwinds to the top with the path segments collected on the way. */
    private static final class Refusal extends RuntimeException {
        final StringBuilder path = new StringBuilder();
        final String typeName;

        Refusal(String typeName, String problem) {
            super(problem, null, false, false);
            this.typeName = typeName;
        }

        Refusal under(String segment) {
            path.insert(0, segment);
            return this;
        }
    }

    private final TypeRegistry types;
    private final UnaryOperator<GenServerRef> canonicalRef;
    private final MessagePacker out;
    private final Object[] containers = new Object[MAX_DEPTH];
    private int depth;

    /**
     * @param types the registered records and enums
     * @param canonicalRef rewrites a ref to the form peers understand (a node's pre-cluster
     *     placeholder id becomes its real NodeId)
     * @param out where to write
     */
    public ValueWriter(TypeRegistry types, UnaryOperator<GenServerRef> canonicalRef, MessagePacker out) {
        this.types = types;
        this.canonicalRef = canonicalRef;
        this.out = out;
    }

    /**
     * Writes one value.
     *
     * @param rootName how the path of a refused value starts ({@code msg}, {@code reply}, {@code args})
     * @param value the value
     * @throws MessageSerializationException if the value (or anything in it) cannot be sent
     * @throws IOException from the packer
     */
    public void write(String rootName, Object value) throws IOException {
        try {
            value(value);
        } catch (Refusal r) {
            throw new MessageSerializationException(rootName + r.path, r.typeName, r.getMessage());
        }
    }

    private void value(Object v) throws IOException {
        if (v == null) {
            out.packNil();
        } else if (v instanceof String s) {
            out.packString(s);
        } else if (v instanceof Integer i) {
            out.packInt(i);
        } else if (v instanceof Long l) {
            out.packExtensionTypeHeader(ExtType.LONG, 8);
            out.addPayload(ByteBuffer.allocate(8).putLong(l).array());
        } else if (v instanceof Boolean b) {
            out.packBoolean(b);
        } else if (v instanceof Double d) {
            out.packDouble(d);
        } else if (v instanceof Float f) {
            out.packFloat(f);
        } else if (v instanceof byte[] bytes) {
            out.packBinaryHeader(bytes.length);
            out.addPayload(bytes);
        } else if (v instanceof List<?> list) {
            enter(v);
            out.packArrayHeader(list.size());
            int i = 0;
            for (Object e : list) {
                element(e, i++);
            }
            leave();
        } else if (v instanceof Map<?, ?> map) {
            mapValue(map);
        } else if (v instanceof GenServerRef ref) {
            GenServerRef c = canonicalRef.apply(ref);
            out.packExtensionTypeHeader(ExtType.GEN_SERVER_REF, 0);
            out.packString(c.id());
            out.packString(c.nodeId().toString());
        } else if (v instanceof NodeId id) {
            out.packExtensionTypeHeader(ExtType.NODE_ID, 0);
            out.packString(id.toString());
        } else if (v instanceof ExitReason reason) {
            exitReason(reason);
        } else if (v instanceof Record r) {
            recordValue(r);
        } else if (v instanceof Enum<?> e) {
            enumValue(e);
        } else {
            otherValue(v);
        }
    }

    private void otherValue(Object v) throws IOException {
        switch (v) {
            case Set<?> set -> {
                enter(v);
                out.packExtensionTypeHeader(ExtType.SET, 0);
                out.packArrayHeader(set.size());
                int i = 0;
                for (Object e : set) {
                    element(e, i++);
                }
                leave();
            }
            case Short s -> {
                out.packExtensionTypeHeader(ExtType.SHORT, 2);
                out.addPayload(ByteBuffer.allocate(2).putShort(s).array());
            }
            case Byte b -> {
                out.packExtensionTypeHeader(ExtType.BYTE, 1);
                out.addPayload(new byte[] {b});
            }
            case BigInteger bi -> {
                byte[] bytes = bi.toByteArray();
                out.packExtensionTypeHeader(ExtType.BIG_INTEGER, bytes.length);
                out.addPayload(bytes);
            }
            case BigDecimal bd -> {
                byte[] unscaled = bd.unscaledValue().toByteArray();
                out.packExtensionTypeHeader(ExtType.BIG_DECIMAL, 4 + unscaled.length);
                out.addPayload(ByteBuffer.allocate(4 + unscaled.length).putInt(bd.scale()).put(unscaled).array());
            }
            case Instant t -> {
                out.packExtensionTypeHeader(ExtType.INSTANT, 12);
                out.addPayload(ByteBuffer.allocate(12).putLong(t.getEpochSecond()).putInt(t.getNano()).array());
            }
            case Date d -> {
                out.packExtensionTypeHeader(ExtType.DATE, 8);
                out.addPayload(ByteBuffer.allocate(8).putLong(d.getTime()).array());
            }
            case LocalDate d -> {
                out.packExtensionTypeHeader(ExtType.LOCAL_DATE, 8);
                out.addPayload(ByteBuffer.allocate(8).putLong(d.toEpochDay()).array());
            }
            case Duration d -> {
                out.packExtensionTypeHeader(ExtType.DURATION, 12);
                out.addPayload(ByteBuffer.allocate(12).putLong(d.getSeconds()).putInt(d.getNano()).array());
            }
            case UUID u -> {
                out.packExtensionTypeHeader(ExtType.UUID, 16);
                out.addPayload(ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                        .putLong(u.getLeastSignificantBits()).array());
            }
            case Optional<?> o -> {
                enter(v);
                out.packExtensionTypeHeader(ExtType.OPTIONAL, 0);
                out.packArrayHeader(o.isPresent() ? 1 : 0);
                if (o.isPresent()) {
                    element(o.get(), 0);
                }
                leave();
            }
            case Throwable t -> failure(t);
            default -> throw refuse(v);
        }
    }

    private void mapValue(Map<?, ?> map) throws IOException {
        enter(map);
        out.packMapHeader(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            try {
                value(e.getKey());
            } catch (Refusal r) {
                throw r.under("{key " + shortText(e.getKey()) + "}");
            }
            try {
                value(e.getValue());
            } catch (Refusal r) {
                throw r.under("[" + shortText(e.getKey()) + "]");
            }
        }
        leave();
    }

    private void recordValue(Record r) throws IOException {
        TypeRegistry.RecordType rt = types.record(r.getClass());
        if (rt == null) {
            throw new Refusal(r.getClass().getName(), "record " + r.getClass().getName()
                    + " is not registered (call Serialization.register(name, " + r.getClass().getSimpleName()
                    + ".class) on every node)");
        }
        enter(r);
        out.packExtensionTypeHeader(ExtType.RECORD, 0);
        out.packString(rt.name());
        out.packArrayHeader(rt.accessors().length);
        for (int i = 0; i < rt.accessors().length; i++) {
            Object component;
            try {
                component = rt.accessors()[i].invoke(r);
            } catch (Throwable t) {
                throw new Refusal(r.getClass().getName(), "accessor " + rt.components()[i].getName() + "() threw " + t);
            }
            try {
                value(component);
            } catch (Refusal refusal) {
                throw refusal.under("." + rt.components()[i].getName());
            }
        }
        leave();
    }

    private void enumValue(Enum<?> e) throws IOException {
        Class<?> type = e.getDeclaringClass();
        String name = types.nameOf(type);
        if (name == null) {
            throw new Refusal(type.getName(), "enum " + type.getName()
                    + " is not registered (call Serialization.register(name, " + type.getSimpleName() + ".class) on every node)");
        }
        out.packExtensionTypeHeader(ExtType.ENUM, 0);
        out.packString(name);
        out.packString(e.name());
    }

    private void exitReason(ExitReason reason) throws IOException {
        out.packExtensionTypeHeader(ExtType.EXIT_REASON, 0);
        switch (reason) {
            case ExitReason.Normal n -> out.packString("normal");
            case ExitReason.Shutdown s -> out.packString("shutdown");
            case ExitReason.Killed k -> out.packString("killed");
            case ExitReason.Noproc n -> out.packString("noproc");
            case ExitReason.Noconnection n -> out.packString("noconnection");
            case ExitReason.Error e -> {
                out.packString("error");
                out.packString(e.message());
                if (e.cause().isPresent()) {
                    failure(e.cause().get());
                } else {
                    out.packNil();
                }
            }
        }
    }

    /** A throwable crosses as its class name, message and stack; it is never rebuilt as its class. */
    private void failure(Throwable t) throws IOException {
        String className = t instanceof RemoteFailure rf ? rf.remoteClassName() : t.getClass().getName();
        String message = t instanceof RemoteFailure rf ? rf.remoteMessage() : t.getMessage();
        out.packExtensionTypeHeader(ExtType.FAILURE, 0);
        out.packString(className);
        if (message == null) {
            out.packNil();
        } else {
            out.packString(message);
        }
        StackTraceElement[] stack = t.getStackTrace();
        int n = Math.min(stack.length, 64);
        out.packArrayHeader(n);
        for (int i = 0; i < n; i++) {
            StackTraceElement s = stack[i];
            out.packArrayHeader(4);
            out.packString(s.getClassName());
            out.packString(s.getMethodName());
            out.packString(String.valueOf(s.getFileName()));
            out.packInt(s.getLineNumber());
        }
    }

    private void element(Object e, int index) throws IOException {
        try {
            value(e);
        } catch (Refusal r) {
            throw r.under("[" + index + "]");
        }
    }

    private void enter(Object container) {
        for (int i = 0; i < depth; i++) {
            if (containers[i] == container) {
                throw new Refusal(container.getClass().getName(),
                        "cyclic structure: this " + container.getClass().getSimpleName() + " contains itself");
            }
        }
        if (depth == MAX_DEPTH) {
            throw new Refusal(container.getClass().getName(), "nested deeper than " + MAX_DEPTH + " levels");
        }
        containers[depth++] = container;
    }

    private void leave() {
        containers[--depth] = null;
    }

    private static Refusal refuse(Object v) {
        Class<?> c = v.getClass();
        if (c.isSynthetic() || c.getName().contains("$$Lambda") || c.isHidden()) {
            return new Refusal(c.getName(), "lambda is not serializable");
        }
        if (c.isArray()) {
            return new Refusal(c.getName(), "arrays other than byte[] are not serializable; use a List");
        }
        if (v instanceof Collection<?> || v instanceof Iterable<?>) {
            return new Refusal(c.getName(), c.getName() + " is not a List or Set and is not serializable");
        }
        return new Refusal(c.getName(), "type " + c.getName()
                + " is not serializable (send records or enums registered with Serialization.register,"
                + " or standard types: see the README)");
    }

    private static String shortText(Object key) {
        String s = String.valueOf(key);
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
