package io.noex;

/** {@code Registry.lookup} found no process under the name. */
public final class NameNotRegisteredException extends NoexException {

    private final String name;

    /** @param name the name looked up */
    public NameNotRegisteredException(String name) {
        super("no process is registered as '" + name + "'");
        this.name = name;
    }

    /** @return the name looked up */
    public String name() {
        return name;
    }
}
