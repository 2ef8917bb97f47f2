package io.noex;

import java.util.Objects;

/**
 * The message a process that traps exits ({@link StartOptions.Builder#trapExit(boolean)}) receives
 * in {@link GenServerBehavior#handleInfo} when a linked process exits, instead of dying with it.
 *
 * @param from the linked process that exited
 * @param reason why it exited
 */
public record Exit(GenServerRef from, ExitReason reason) {

    /** @throws NullPointerException if a component is null */
    public Exit {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(reason, "reason");
    }
}
