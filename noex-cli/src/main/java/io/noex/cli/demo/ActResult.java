package io.noex.cli.demo;

import java.time.Duration;
import java.util.Optional;

/**
 * How one act of a demo went.
 *
 * @param key the act's key, e.g. {@code "b"}
 * @param title the act's title
 * @param failure why it failed, or why it was not played; empty if it succeeded
 * @param took how long it ran
 * @param played false if it was skipped because an act it builds on failed
 */
public record ActResult(String key, String title, Optional<String> failure, Duration took, boolean played) {

    /** An act that was played. */
    public ActResult(String key, String title, Optional<String> failure, Duration took) {
        this(key, title, failure, took, true);
    }

    /**
     * @param key the act's key
     * @param title its title
     * @param because why it was not played
     * @return an act skipped because an earlier one failed; it counts as failed
     */
    static ActResult skipped(String key, String title, String because) {
        return new ActResult(key, title, Optional.of(because), Duration.ZERO, false);
    }

    /** @return true if the act played to its end with every check met */
    public boolean succeeded() {
        return failure.isEmpty();
    }

    /** @return {@code (b) Crash and restart}, as the narration names the act */
    public String label() {
        return "(" + key + ") " + title;
    }
}
