package io.noex.distribution.serialization;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The records and enums a node may send and build, each under a stable name that is the same on
 * every node (the class name may differ between versions; the stable name may not). A receiver
 * only ever instantiates a registered type, so no peer can make it build an arbitrary class.
 *
 * <p>Threading: thread-safe; registration is expected before the cluster starts, but may happen
 * at any time.
 */
public final class TypeRegistry {

    /** How to take a registered record apart and put it together again. */
    record RecordType(String name, Class<?> type, RecordComponent[] components, MethodHandle[] accessors,
                      MethodHandle constructor) {
    }

    private final ConcurrentHashMap<String, Class<?>> byName = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Class<?>, String> byType = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Class<?>, RecordType> records = new ConcurrentHashMap<>();

    /** Registers noex's own records, so they can be forwarded between nodes like any message. */
    public TypeRegistry() {
        register("noex.Down", io.noex.Down.class);
        register("noex.Exit", io.noex.Exit.class);
        register("noex.MonitorRef", io.noex.MonitorRef.class);
        register("noex.TimerRef", io.noex.TimerRef.class);
    }

    /**
     * Registers a record or enum under a stable name. Registering the same pair again is a no-op.
     *
     * @param stableName the name used on the wire; non-empty, at most 200 characters
     * @param type a record or enum class
     * @throws IllegalArgumentException if the type is neither, or the name or type is already
     *     registered to something else
     */
    public void register(String stableName, Class<?> type) {
        Objects.requireNonNull(stableName, "stableName");
        Objects.requireNonNull(type, "type");
        if (stableName.isBlank() || stableName.length() > 200) {
            throw new IllegalArgumentException("stableName must be 1 to 200 characters, got '" + stableName + "'");
        }
        if (!type.isRecord() && !type.isEnum()) {
            throw new IllegalArgumentException(type.getName() + " is neither a record nor an enum; only those can be registered");
        }
        Class<?> existing = byName.putIfAbsent(stableName, type);
        if (existing != null && existing != type) {
            throw new IllegalArgumentException("stable name '" + stableName + "' is already registered to " + existing.getName());
        }
        String existingName = byType.putIfAbsent(type, stableName);
        if (existingName != null && !existingName.equals(stableName)) {
            if (existing == null) {
                byName.remove(stableName, type);
            }
            throw new IllegalArgumentException(type.getName() + " is already registered as '" + existingName + "'");
        }
        if (type.isRecord()) {
            records.computeIfAbsent(type, t -> describe(stableName, t));
        }
    }

    /** @return the stable name of a registered type, or null */
    String nameOf(Class<?> type) {
        return byType.get(type);
    }

    /** @return the registered type with this stable name, or null */
    Class<?> typeNamed(String name) {
        return byName.get(name);
    }

    RecordType record(Class<?> type) {
        return records.get(type);
    }

    /** @return how many types are registered */
    public int size() {
        return byName.size();
    }

    private static RecordType describe(String name, Class<?> type) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            RecordComponent[] components = type.getRecordComponents();
            MethodHandle[] accessors = new MethodHandle[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                accessors[i] = unreflect(lookup, components[i]);
                types[i] = components[i].getType();
            }
            MethodHandle ctor = unreflectConstructor(lookup, type, types);
            return new RecordType(name, type, components, accessors, ctor);
        } catch (ReflectiveOperationException | RuntimeException | IllegalAccessError e) {
            throw new IllegalArgumentException("record " + type.getName()
                    + " must be public with a public canonical constructor to be registered: " + e.getMessage(), e);
        }
    }

    private static MethodHandle unreflect(MethodHandles.Lookup lookup, RecordComponent c) throws IllegalAccessException {
        var m = c.getAccessor();
        m.setAccessible(true);
        return MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
    }

    private static MethodHandle unreflectConstructor(MethodHandles.Lookup lookup, Class<?> type, Class<?>[] types)
            throws ReflectiveOperationException {
        var ctor = type.getDeclaredConstructor(types);
        ctor.setAccessible(true);
        return MethodHandles.lookup().unreflectConstructor(ctor).asSpreader(Object[].class, types.length)
                .asType(MethodType.methodType(Object.class, Object[].class));
    }
}
