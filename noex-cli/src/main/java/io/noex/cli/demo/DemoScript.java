package io.noex.cli.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Plays the acts of a demo in order and ends with a summary table. An act that fails is reported
 * (in its place in the narration and in the summary). Then, for acts that each set up what they
 * need, the script goes on with the next one, so one failure does not hide what the others would
 * show; for acts that build on each other ({@link #chained}), the rest are skipped, and reported
 * as such.
 *
 * <p>Threading: plays every act on the calling thread.
 */
final class DemoScript {

    private final List<Act> acts;
    private final boolean chained;

    /** @param acts independent acts, in the order they are played */
    DemoScript(List<Act> acts) {
        this(acts, false);
    }

    private DemoScript(List<Act> acts, boolean chained) {
        this.acts = List.copyOf(acts);
        this.chained = chained;
    }

    /**
     * @param acts acts that each build on the ones before, in order
     * @return a script that skips the remaining acts once one fails
     */
    static DemoScript chained(List<Act> acts) {
        return new DemoScript(acts, true);
    }

    /**
     * Plays every act.
     *
     * @param narrator where the narration goes
     * @return how each act went
     */
    List<ActResult> play(Narrator narrator) {
        List<ActResult> results = new ArrayList<>(acts.size());
        Optional<ActResult> failed = Optional.empty();
        for (Act act : acts) {
            if (chained && failed.isPresent()) {
                results.add(ActResult.skipped(act.key(), act.title(), "not played: it builds on act ("
                        + failed.get().key() + "), which failed"));
                continue;
            }
            ActResult r = play(act, narrator);
            results.add(r);
            if (!r.succeeded() && failed.isEmpty()) {
                failed = Optional.of(r);
            }
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
            narrator.say("ok, act " + act.key() + " took " + duration(took));
        }
        return new ActResult(act.key(), act.title(), failure, took);
    }

    /** Prints the summary table of {@code results}. */
    static void summarize(List<ActResult> results, Duration took, Narrator narrator) {
        narrator.heading("Summary");
        String format = "  %-4s %-52s %-7s %9s";
        narrator.line(String.format(Locale.ROOT, format, "act", "what it shows", "result", "time"));
        int failed = 0;
        int skipped = 0;
        for (ActResult r : results) {
            narrator.line(String.format(Locale.ROOT, format, "(" + r.key() + ")", shorten(r.title(), 52),
                    r.succeeded() ? "ok" : r.played() ? "FAILED" : "skipped", r.played() ? duration(r.took()) : "-"));
            if (!r.played()) {
                skipped++;
            } else if (!r.succeeded()) {
                failed++;
            }
        }
        narrator.line(Narrator.rule("", '-'));
        String total = String.format(Locale.ROOT, "%.2f s", took.toNanos() / 1e9);
        if (failed == 0 && skipped == 0) {
            narrator.line("  all " + results.size() + " acts succeeded in " + total);
        } else {
            narrator.line("  " + failed + " of " + results.size() + " acts FAILED" + (skipped > 0 ? ", " + skipped + " skipped" : "")
                    + " (" + total + ")");
        }
    }

    /** @return {@code 15.5 ms} below a second, {@code 3.51 s} from a second on */
    static String duration(Duration d) {
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? millis(d) : String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
    }

    /** @return {@code 15.5 ms} */
    static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
