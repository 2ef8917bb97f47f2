package io.noex.cli.demo;

import java.time.Duration;
import java.util.Optional;

/**
 * How one act of a demo went.
 *
 * @param key the act's key, e.g. {@code "b"}
 * @param title the act's title
 * @param failure why it failed; empty if it succeeded
 * @param took how long it ran
 */
public record ActResult(String key, String title, Optional<String> failure, Duration took) {

    /** @return true if the act played to its end with every check met */
    public boolean succeeded() {
        return failure.isEmpty();
    }

    /** @return {@code (b) Crash and restart}, as the narration names the act */
    public String label() {
        return "(" + key + ") " + title;
    }
}
