package io.noex.cli.demo;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a whole demo went: one {@link ActResult} per act, in the order they were played.
 *
 * @param acts the acts' results
 * @param took how long the whole demo ran, setup and teardown included
 */
public record DemoResult(List<ActResult> acts, Duration took) {

    /** Copies the list. */
    public DemoResult {
        acts = List.copyOf(acts);
    }

    /** @return true if every act succeeded */
    public boolean succeeded() {
        return acts.stream().allMatch(ActResult::succeeded);
    }

    /** @return the first act that failed, if any */
    public Optional<ActResult> firstFailure() {
        return acts.stream().filter(a -> !a.succeeded()).findFirst();
    }
}
