package io.noex.distribution;

import io.noex.GenServerRef;

/**
 * The message a process registered with {@link ConflictAction#MESSAGE} receives in
 * {@code handleInfo} when it loses its global name to a concurrent registration.
 *
 * @param name the name it lost
 * @param winner the process that holds it now
 */
public record GlobalNameConflict(String name, GenServerRef winner) {
}
