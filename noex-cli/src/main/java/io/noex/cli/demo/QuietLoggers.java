package io.noex.cli.demo;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Turns chosen loggers off for a while and restores their levels on {@link #close()}. The demo
 * crashes processes on purpose and narrates every exit reason itself, so while it plays the
 * runtime's crash reports (several lines and a stack trace each) would only repeat the narration
 * and break its layout. Everything else keeps its configured level, so an unexpected warning
 * still shows. Does nothing when SLF4J is not bound to Logback.
 *
 * <p>Threading: levels are global to the JVM; open and close from one thread.
 */
final class QuietLoggers implements AutoCloseable {

    private record Saved(ch.qos.logback.classic.Logger logger, ch.qos.logback.classic.Level level) {
    }

    private final List<Saved> saved = new ArrayList<>();

    private QuietLoggers() {
    }

    /**
     * @param names the loggers to turn off
     * @return a handle that restores their levels when closed
     */
    static QuietLoggers silence(String... names) {
        QuietLoggers q = new QuietLoggers();
        for (String name : names) {
            if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                q.saved.add(new Saved(logger, logger.getLevel()));
                logger.setLevel(ch.qos.logback.classic.Level.OFF);
            }
        }
        return q;
    }

    @Override
    public void close() {
        for (Saved s : saved) {
            s.logger().setLevel(s.level());
        }
        saved.clear();
    }
}
