package io.noex;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The local names of one node, as {@link Node#names()} returns them; the static {@link Registry}
 * facade delegates here for the current node. A name belongs to one live local process, a process
 * has at most one name, and the name is released in the same step that removes an exiting process.
 *
 * <p>Threading: thread-safe; nothing here blocks.
 */
public final class NameRegistry {

    private final Node node;

    NameRegistry(Node node) {
        this.node = node;
    }

    /**
     * Registers a local name for a local process.
     *
     * @param name the name (non-empty, at most 255 characters, not starting with {@code <})
     * @param ref a running local process
     * @throws NameAlreadyRegisteredException if the name is taken or the process has another name
     * @throws ServerNotRunningException if the process is not running here
     */
    public void register(String name, GenServerRef ref) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ref, "ref");
        ServerProcess p = node.isLocal(ref.nodeId()) ? node.table().get(ref.id()) : null;
        if (p == null) {
            throw new ServerNotRunningException(ref);
        }
        node.table().register(name, p);
    }

    /**
     * @param name a local name
     * @return true if it was registered (and is not any more); false is a no-op
     */
    public boolean unregister(String name) {
        return node.table().unregister(Objects.requireNonNull(name, "name"));
    }

    /**
     * @param name a local name
     * @return the process registered under it, if any
     */
    public Optional<GenServerRef> whereis(String name) {
        return node.table().whereis(Objects.requireNonNull(name, "name"));
    }

    /**
     * @param name a local name
     * @return the process registered under it
     * @throws NameNotRegisteredException if there is none
     */
    public GenServerRef lookup(String name) {
        return whereis(name).orElseThrow(() -> new NameNotRegisteredException(name));
    }

    /** @return the registered names */
    public List<String> names() {
        return node.table().names();
    }
}
