package io.noex.distribution.remote;

import io.noex.GenServerBehavior;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The behaviors a node can start on request, by name ({@code BehaviorRegistry}). Only behaviors
 * registered here can be started by another node: a peer can never make this node run arbitrary
 * code.
 *
 * <p>Threading: thread-safe.
 */
public final class BehaviorTable {

    private final ConcurrentHashMap<String, GenServerBehavior<?>> byName = new ConcurrentHashMap<>();

    /**
     * @param name the behavior's name, the same on every node
     * @param behavior the callbacks
     * @throws IllegalArgumentException if the name is blank or already taken by another behavior
     */
    public void register(String name, GenServerBehavior<?> behavior) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(behavior, "behavior");
        if (name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("behavior name must be 1 to 200 characters, got '" + name + "'");
        }
        GenServerBehavior<?> existing = byName.putIfAbsent(name, behavior);
        if (existing != null && existing != behavior) {
            throw new IllegalArgumentException("behavior name '" + name + "' is already registered to "
                    + existing.getClass().getName());
        }
    }

    /**
     * @param name a behavior name
     * @return the behavior, if registered
     */
    public Optional<GenServerBehavior<?>> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** @return the registered names */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }
}
