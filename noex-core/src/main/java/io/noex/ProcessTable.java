package io.noex;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node's live processes, by id and by local registered name. A name is released in the same
 * step that removes its process, so a name never outlives its process.
 *
 * <p>Process ids look like {@code <k3f9.42>}: a random prefix chosen when the node is created (so
 * ids of a restarted node do not collide with those of its previous life) and a counter. They
 * start with {@code <}, which names may not, so a ref's id is never ambiguous.
 *
 * <p>Threading: all methods are thread-safe. A process's name field is guarded by the process's
 * monitor; the maps are concurrent.
 */
final class ProcessTable {

    private final ConcurrentHashMap<String, ServerProcess> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ServerProcess> byName = new ConcurrentHashMap<>();
    private final String prefix = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
    private final AtomicLong counter = new AtomicLong();

    String nextId() {
        return "<" + prefix + "." + counter.incrementAndGet() + ">";
    }

    void add(ServerProcess p) {
        byId.put(p.id(), p);
    }

    /** @return the live process with this id or registered name, or null */
    ServerProcess get(String idOrName) {
        return idOrName.charAt(0) == '<' ? byId.get(idOrName) : byName.get(idOrName);
    }

    int size() {
        return byId.size();
    }

    Collection<ServerProcess> all() {
        return new ArrayList<>(byId.values());
    }

    void remove(ServerProcess p) {
        byId.remove(p.id(), p);
        String name;
        synchronized (p) {
            name = p.registeredName;
        }
        if (name != null) {
            byName.remove(name, p);
        }
    }

    /** @throws NameAlreadyRegisteredException if the name is taken or the process has a name */
    void register(String name, ServerProcess p) {
        NameRules.check(name);
        synchronized (p) {
            if (p.registeredName != null) {
                if (p.registeredName.equals(name)) {
                    return;
                }
                throw new NameAlreadyRegisteredException(name, p.ref,
                        p.ref + " is already registered as '" + p.registeredName + "'; a process has at most one name");
            }
            ServerProcess holder = byName.putIfAbsent(name, p);
            if (holder != null && holder != p) {
                throw new NameAlreadyRegisteredException(name, holder.ref,
                        "name '" + name + "' is already registered to " + holder.ref);
            }
            p.registeredName = name;
        }
        if (!p.isAlive()) {
            // The process exited while we registered: its exit may have missed the name.
            byName.remove(name, p);
        }
    }

    /** @return true if the name was registered */
    boolean unregister(String name) {
        ServerProcess p = byName.get(name);
        if (p == null) {
            return false;
        }
        synchronized (p) {
            if (!byName.remove(name, p)) {
                return false;
            }
            if (name.equals(p.registeredName)) {
                p.registeredName = null;
            }
        }
        return true;
    }

    Optional<GenServerRef> whereis(String name) {
        ServerProcess p = byName.get(name);
        return p == null || !p.isAlive() ? Optional.empty() : Optional.of(p.ref);
    }

    List<String> names() {
        return List.copyOf(byName.keySet());
    }
}
