package io.noex;

import java.util.List;
import java.util.Optional;

/**
 * Local names of the current node (inside a callback: the node running it; elsewhere the
 * default node). A name belongs to one live process and is released when it exits. Each method
 * delegates to {@link Node#current()}.
 * {@snippet :
 * Registry.register("cache", cacheRef);
 * GenServerRef cache = Registry.lookup("cache");
 * Optional<GenServerRef> maybe = Registry.whereis("sessions");
 * }
 */
public final class Registry {

    private Registry() {
    }

    /**
     * @param name the name
     * @param ref a running local process
     * @see Node#register(String, GenServerRef)
     */
    public static void register(String name, GenServerRef ref) {
        Node.current().register(name, ref);
    }

    /**
     * @param name the name
     * @return true if it was registered
     * @see Node#unregister(String)
     */
    public static boolean unregister(String name) {
        return Node.current().unregister(name);
    }

    /**
     * @param name the name
     * @return the process registered under it, if any
     * @see Node#whereis(String)
     */
    public static Optional<GenServerRef> whereis(String name) {
        return Node.current().whereis(name);
    }

    /**
     * @param name the name
     * @return the process registered under it
     * @throws NameNotRegisteredException if there is none
     * @see Node#lookup(String)
     */
    public static GenServerRef lookup(String name) {
        return Node.current().lookup(name);
    }

    /**
     * @return the registered names
     * @see Node#registeredNames()
     */
    public static List<String> names() {
        return Node.current().registeredNames();
    }
}
