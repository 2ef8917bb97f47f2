package io.noex;

/** The rule for local registered names, shared by the registry and {@link StartOptions}. */
final class NameRules {

    static final int MAX_LENGTH = Registry.MAX_NAME_LENGTH;

    private NameRules() {
    }

    /** @throws IllegalArgumentException naming the value and the rule broken */
    static void check(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("name must not be empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("name must have at most " + MAX_LENGTH + " characters, has " + name.length());
        }
        if (name.charAt(0) == '<') {
            throw new IllegalArgumentException("name '" + name + "' must not start with '<' (process ids do)");
        }
    }
}
