package io.noex.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hides the library's warnings (logger {@code io.noex}, below ERROR) while {@code noex status}
 * probes a cluster, and restores the level on {@link #close()}. The probe is a client: what goes
 * wrong with its own connections (a refused secret, say) it reports itself, in one line, and the
 * transport's WARN about the same rejection would only repeat it in a log format. The nodes it
 * talks to still log their side. Does nothing when SLF4J is not bound to Logback.
 *
 * <p>Threading: levels are global to the JVM; open and close from one thread.
 */
final class LibraryWarnings implements AutoCloseable {

    private final Logger logger;
    private final Level saved;

    private LibraryWarnings(Logger logger, Level saved) {
        this.logger = logger;
        this.saved = saved;
    }

    /** @return a handle that restores the library's log level when closed */
    static LibraryWarnings hidden() {
        if (LoggerFactory.getLogger("io.noex") instanceof Logger l) {
            LibraryWarnings w = new LibraryWarnings(l, l.getLevel());
            l.setLevel(Level.ERROR);
            return w;
        }
        return new LibraryWarnings(null, null);
    }

    @Override
    public void close() {
        if (logger != null) {
            logger.setLevel(saved);
        }
    }
}
