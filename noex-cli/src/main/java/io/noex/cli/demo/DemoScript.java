package io.noex.cli.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Plays the acts of a demo in order and ends with a summary table. An act that fails is reported
 * (in its place in the narration and in the summary) and the script goes on with the next one:
 * each act sets up what it needs, so one failure does not hide what the others would show.
 *
 * <p>Threading: plays every act on the calling thread.
 */
final class DemoScript {

    private final List<Act> acts;

    /** @param acts the acts, in the order they are played */
    DemoScript(List<Act> acts) {
        this.acts = List.copyOf(acts);
    }

    /**
     * Plays every act.
     *
     * @param narrator where the narration goes
     * @return how each act went
     */
    List<ActResult> play(Narrator narrator) {
        List<ActResult> results = new ArrayList<>(acts.size());
        for (Act act : acts) {
            results.add(play(act, narrator));
        }
        return results;
    }

    private static ActResult play(Act act, Narrator narrator) {
        String label = "(" + act.key() + ") " + act.title();
        narrator.heading(label);
        long start = System.nanoTime();
        Optional<String> failure;
        try {
            act.body().play(narrator);
            failure = Optional.empty();
        } catch (DemoFailure e) {
            failure = Optional.of(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = Optional.of("interrupted");
        } catch (Exception | AssertionError e) {
            // Anything else is the runtime (or the demo) misbehaving: name the exception.
            failure = Optional.of("unexpected " + e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (failure.isPresent()) {
            narrator.say("FAILED: " + failure.get());
        } else {
            narrator.say("ok, act " + act.key() + " took " + millis(took));
        }
        return new ActResult(act.key(), act.title(), failure, took);
    }

    /** Prints the summary table of {@code results}. */
    static void summarize(List<ActResult> results, Duration took, Narrator narrator) {
        narrator.heading("Summary");
        String format = "  %-4s %-52s %-7s %9s";
        narrator.line(String.format(Locale.ROOT, format, "act", "what it shows", "result", "time"));
        int failed = 0;
        for (ActResult r : results) {
            narrator.line(String.format(Locale.ROOT, format, "(" + r.key() + ")", shorten(r.title(), 52),
                    r.succeeded() ? "ok" : "FAILED", millis(r.took())));
            if (!r.succeeded()) {
                failed++;
            }
        }
        narrator.line(Narrator.rule("", '-'));
        String total = String.format(Locale.ROOT, "%.2f s", took.toNanos() / 1e9);
        if (failed == 0) {
            narrator.line("  all " + results.size() + " acts succeeded in " + total);
        } else {
            narrator.line("  " + failed + " of " + results.size() + " acts FAILED (" + total + ")");
        }
    }

    static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
