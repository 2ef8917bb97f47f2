package io.noex.cli.cluster;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type and read them on a command line: {@code 500ms}, {@code 5s}, {@code 2m}. */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private Durations() {
    }

    /**
     * @param text {@code 500ms}, {@code 5s}, {@code 1.5s}, {@code 2m}, {@code 1h}, or ISO-8601 such as {@code PT5S}
     * @return the duration, if {@code text} is one
     */
    public static Optional<Duration> parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            double millis = switch (m.group(2)) {
                case "ms" -> amount;
                case "s" -> amount * 1_000;
                case "m" -> amount * 60_000;
                default -> amount * 3_600_000;
            };
            return millis > Long.MAX_VALUE / 2 ? Optional.empty() : Optional.of(Duration.ofMillis(Math.round(millis)));
        }
        try {
            return Optional.of(Duration.parse(text.strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * @param d a duration
     * @return it as typed: {@code 5s} for whole seconds, else {@code 250ms}
     */
    public static String typed(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /**
     * @param d how long something has run
     * @return it to the second, in its two largest units: {@code 12s}, {@code 3m 07s}, {@code 2h 05m}, {@code 4d 03h}
     */
    public static String uptime(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        if (s < 86400) {
            return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd %02dh", s / 86400, s % 86400 / 3600);
    }

    /**
     * @param d an age
     * @return it to a tenth of a second below a minute ({@code 0.3s}), else as {@link #uptime}
     */
    public static String age(Duration d) {
        long ms = Math.max(0, d.toMillis());
        return ms < 60_000 ? String.format(Locale.ROOT, "%.1fs", ms / 1000.0) : uptime(d);
    }
}
