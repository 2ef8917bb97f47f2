package io.noex;

import java.util.List;
import java.util.Optional;

/**
 * Local names of the current node (inside a callback: the node running it; elsewhere the
 * default node). A name belongs to one live process and is released when it exits. Each method
 * delegates to {@link Node#current()}{@code .names()}; see {@link NameRegistry}.
 * {@snippet :
 * Registry.register("cache", cacheRef);
 * GenServerRef cache = Registry.lookup("cache");
 * Optional<GenServerRef> maybe = Registry.whereis("sessions");
 * }
 */
public final class Registry {

    /**
     * The longest name a process may be registered under, in characters: locally, globally, or
     * when spawned with a name. A name is also non-empty and does not start with {@code <}.
     */
    public static final int MAX_NAME_LENGTH = 255;

    private Registry() {
    }

    /**
     * @param name the name
     * @param ref a running local process
     * @see NameRegistry#register(String, GenServerRef)
     */
    public static void register(String name, GenServerRef ref) {
        Node.current().names().register(name, ref);
    }

    /**
     * @param name the name
     * @return true if it was registered
     * @see NameRegistry#unregister(String)
     */
    public static boolean unregister(String name) {
        return Node.current().names().unregister(name);
    }

    /**
     * @param name the name
     * @return the process registered under it, if any
     * @see NameRegistry#whereis(String)
     */
    public static Optional<GenServerRef> whereis(String name) {
        return Node.current().names().whereis(name);
    }

    /**
     * @param name the name
     * @return the process registered under it
     * @throws NameNotRegisteredException if there is none
     * @see NameRegistry#lookup(String)
     */
    public static GenServerRef lookup(String name) {
        return Node.current().names().lookup(name);
    }

    /**
     * @return the registered names
     * @see NameRegistry#names()
     */
    public static List<String> names() {
        return Node.current().names().names();
    }
}
