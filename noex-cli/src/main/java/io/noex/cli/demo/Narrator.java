package io.noex.cli.demo;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints a demo as it happens: act headings, and one line per step prefixed with the time
 * elapsed since the demo started. Every line is flushed at once, so a slow step shows up as a
 * pause in the output rather than as a late burst. Plain ASCII, so the layout survives any
 * terminal encoding.
 *
 * <pre>
 * (b) Crash and restart --------------------------------------------------
 *    0.031s  cast Boom to flaky: its handleCast throws
 *    0.033s  monitor fired: flaky &lt;k3f9.3&gt; exited with error: ...
 * </pre>
 *
 * <p>Threading: not thread-safe; acts narrate from the thread that plays them.
 */
final class Narrator {

    /** Width of the heading rules and the summary table. */
    static final int WIDTH = 78;

    private final PrintWriter out;
    private final long startNanos;

    Narrator(PrintWriter out, long startNanos) {
        this.out = out;
        this.startNanos = startNanos;
    }

    /** Prints a line as it is, with no timestamp. */
    void line(String text) {
        out.println(text);
        out.flush();
    }

    /** Prints an empty line. */
    void blank() {
        line("");
    }

    /** Prints a heading: {@code (b) Crash and restart -----}. */
    void heading(String text) {
        blank();
        line(rule(text + " ", '-'));
    }

    /** Prints one step, stamped with the elapsed time. */
    void say(String text) {
        line(String.format(Locale.ROOT, "%8.3fs  %s", elapsedNanos() / 1e9, text));
    }

    /** Prints a detail of the previous step, indented under its text, with no timestamp. */
    void detail(String text) {
        line("           " + text);
    }

    /** @return nanoseconds since the demo started */
    long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    /** @return {@code text} padded with {@code fill} to {@link #WIDTH} characters */
    static String rule(String text, char fill) {
        StringBuilder b = new StringBuilder(text);
        while (b.length() < WIDTH) {
            b.append(fill);
        }
        return b.toString();
    }
}
