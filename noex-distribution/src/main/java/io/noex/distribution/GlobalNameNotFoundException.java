package io.noex.distribution;

import io.noex.NoexException;

/** {@code GlobalRegistry.lookup} of a name no process holds (as this node knows). */
public final class GlobalNameNotFoundException extends NoexException {

    private final String name;

    /** @param name the name */
    public GlobalNameNotFoundException(String name) {
        super("no process is registered globally as '" + name + "'");
        this.name = name;
    }

    /** @return the name */
    public String name() {
        return name;
    }
}
