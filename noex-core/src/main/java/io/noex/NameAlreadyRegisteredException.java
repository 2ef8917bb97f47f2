package io.noex;

/** A local name is already registered, to another process (or this one already has a name). */
public final class NameAlreadyRegisteredException extends NoexException {

    private final String name;
    private final GenServerRef holder;

    /**
     * @param name the requested name
     * @param holder the process holding it
     * @param message what clashed
     */
    public NameAlreadyRegisteredException(String name, GenServerRef holder, String message) {
        super(message);
        this.name = name;
        this.holder = holder;
    }

    /** @return the requested name */
    public String name() {
        return name;
    }

    /** @return the process that holds the name (or, if the process already has a name, that process) */
    public GenServerRef holder() {
        return holder;
    }
}
