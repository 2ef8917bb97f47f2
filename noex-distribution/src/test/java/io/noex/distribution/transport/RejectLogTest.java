package io.noex.distribution.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.distribution.LogCapture;
import io.noex.distribution.transport.ProtocolViolationException.Reason;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The reject log's bounds, on a manual clock: once per peer address and reason per minute,
 * whatever the source port, and a budget of lines in all.
 */
class RejectLogTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(42 * SECOND);
    private final String loggerName = "test.RejectLog." + System.nanoTime();
    private final LogCapture lines = new LogCapture(loggerName);
    private final RejectLog rejectLog = new RejectLog(LoggerFactory.getLogger(loggerName), clock::get);

    @AfterEach
    void close() {
        lines.close();
    }

    private static InetSocketAddress from(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    @Test
    void aPeerOpeningAConnectionPerBadInput_isLoggedOncePerMinute() {
        assertThat(rejectLog.warn(from("127.0.0.1", 40001), Reason.BAD_HANDSHAKE, "first")).isTrue();
        for (int port = 40002; port < 41000; port++) {
            assertThat(rejectLog.warn(from("127.0.0.1", port), Reason.BAD_HANDSHAKE, "again")).isFalse();
        }
        clock.addAndGet(59 * SECOND);
        assertThat(rejectLog.warn(from("127.0.0.1", 41000), Reason.BAD_HANDSHAKE, "within the minute")).isFalse();
        clock.addAndGet(SECOND);
        assertThat(rejectLog.warn(from("127.0.0.1", 41001), Reason.BAD_HANDSHAKE, "a minute later")).isTrue();
        assertThat(lines.lines()).hasSize(2);
        assertThat(lines.lines().get(1)).contains("a minute later", "(999 earlier rejections were not logged)");
    }

    @Test
    void anotherReasonOrAnotherAddress_isLoggedOnItsOwn() {
        assertThat(rejectLog.warn(from("127.0.0.1", 40001), Reason.BAD_HANDSHAKE, "one")).isTrue();
        assertThat(rejectLog.warn(from("127.0.0.1", 40002), Reason.OVERSIZED_FRAME, "other reason")).isTrue();
        assertThat(rejectLog.warn(from("127.0.0.2", 40001), Reason.BAD_HANDSHAKE, "other address")).isTrue();
        assertThat(lines.lines().get(0)).contains("127.0.0.1:40001", "one", "BAD_HANDSHAKE", "not logged for a minute");
    }

    @Test
    void aFloodFromManyAddresses_isBoundedByTheBudgetInAll() {
        for (int i = 0; i < 50_000; i++) {
            rejectLog.warn(from("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), 5000),
                    Reason.PENDING_HANDSHAKE_LIMIT, "flood");
        }
        assertThat(lines.lines()).hasSize(RejectLog.MAX_LINES_PER_WINDOW);

        clock.addAndGet(61 * SECOND);
        for (int i = 0; i < 50_000; i++) {
            rejectLog.warn(from("11." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), 5000),
                    Reason.PENDING_HANDSHAKE_LIMIT, "flood");
        }
        assertThat(lines.lines()).hasSize(2 * RejectLog.MAX_LINES_PER_WINDOW);
        assertThat(lines.lines().get(RejectLog.MAX_LINES_PER_WINDOW)).contains("earlier rejections were not logged");
    }
}
