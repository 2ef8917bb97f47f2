package io.noex;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the crash report of a process that died with an {@code error} reason (OTP's
 * {@code crash_report}): the process, its name, the message it was handling, its state (through
 * {@link GenServerBehavior#formatState}, which may redact), the reason and its stack. Exits with
 * {@code normal} or {@code shutdown} are never reported as errors.
 */
final class CrashReport {

    private static final Logger log = LoggerFactory.getLogger("io.noex.CrashReport");
    private static final int MAX_TEXT = 2_000;

    private CrashReport() {
    }

    static void log(ServerProcess p, Envelope handling, Object state, ExitReason reason, Throwable cause) {
        if (!log.isErrorEnabled()) {
            return;
        }
        String stateText;
        try {
            stateText = p.behavior().formatState(state);
        } catch (Throwable t) {
            stateText = "<formatState threw " + t + ">";
        }
        log.error("""
                GenServer {} crashed
                  name:          {}
                  behavior:      {}
                  last message:  {}
                  state:         {}
                  reason:        {}""",
                p.ref, p.registeredName == null ? "-" : p.registeredName, p.behavior().getClass().getName(),
                shorten(describe(handling)), shorten(stateText), reason, cause);
    }

    private static String describe(Envelope e) {
        if (e == null) {
            return "-";
        }
        return switch (e) {
            case Envelope.Call c -> "call " + c.msg();
            case Envelope.Cast c -> "cast " + c.msg();
            case Envelope.Info i -> "info " + i.msg();
            case Envelope.MonitorDown d -> "info " + d.down();
            case Envelope.Stop s -> "stop " + s.reason();
        };
    }

    private static String shorten(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "... (" + text.length() + " chars)";
    }
}
