package io.noex.cli.demo;

import java.util.Objects;

/**
 * One act of a demo: a key ({@code "a"}, {@code "b"}, ...), a title, and the steps it plays.
 * An act succeeds when {@link Body#play} returns and fails when it throws; a failed check throws
 * {@link DemoFailure} with a sentence saying what was expected.
 *
 * @param key the short name shown in the narration and the summary, e.g. {@code "b"}
 * @param title what the act shows, for people
 * @param body the steps
 */
record Act(String key, String title, Body body) {

    Act {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(body, "body");
    }

    /** The steps of an act. */
    @FunctionalInterface
    interface Body {
        /**
         * Plays the act, narrating each step.
         *
         * @param narrator where to say what happens
         * @throws Exception to fail the act
         */
        void play(Narrator narrator) throws Exception;
    }
}
