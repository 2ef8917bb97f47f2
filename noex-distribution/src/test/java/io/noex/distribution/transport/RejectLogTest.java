package io.noex.distribution.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.distribution.LogCapture;
import io.noex.distribution.transport.ProtocolViolationException.Reason;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The reject log's bounds, on a manual clock: per address and reason, and in all. */
class RejectLogTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(42 * SECOND);
    private final String loggerName = "test.RejectLog." + System.nanoTime();
    private final LogCapture lines = new LogCapture(loggerName);
    private final RejectLog log = new RejectLog(LoggerFactory.getLogger(loggerName), now::get);

    @AfterEach
    void close() {
        lines.close();
    }

    @Test
    void theKeyIsTheIpAddress_notThePortOfEachConnection() {
        assertThat(RejectLog.addressOf(new InetSocketAddress("127.0.0.1", 40001)))
                .isEqualTo(RejectLog.addressOf(new InetSocketAddress("127.0.0.1", 40002)))
                .isEqualTo("127.0.0.1");
    }

    @Test
    void onePeerRejectedOften_isLoggedOncePerReasonPerMinute_thenSaysHowManyWereLeftOut() {
        for (int i = 0; i < 1_000; i++) {
            log.warn("10.0.0.7", Reason.BAD_HANDSHAKE, "junk " + i);
        }
        log.warn("10.0.0.7", Reason.HANDSHAKE_TIMEOUT, "slow");
        assertThat(lines.lines()).hasSize(2);
        assertThat(lines.lines().get(0)).contains("10.0.0.7", "junk 0", "BAD_HANDSHAKE", "not logged for a minute");
        assertThat(lines.lines().get(1)).contains("slow", "HANDSHAKE_TIMEOUT", "999 earlier rejections were not logged");

        now.addAndGet(59 * SECOND);
        assertThat(log.warn("10.0.0.7", Reason.BAD_HANDSHAKE, "still junk")).isFalse();
        now.addAndGet(SECOND);
        assertThat(log.warn("10.0.0.7", Reason.BAD_HANDSHAKE, "junk again")).isTrue();
        assertThat(lines.lines()).hasSize(3);
        assertThat(lines.lines().get(2)).contains("junk again", "(1 earlier rejections were not logged)");
    }

    @Test
    void aFloodFromManyAddresses_isBoundedByTheBudgetInAll() {
        for (int i = 0; i < 50_000; i++) {
            log.warn("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), Reason.PENDING_HANDSHAKE_LIMIT, "flood");
        }
        assertThat(lines.lines()).hasSize(RejectLog.MAX_LINES_PER_WINDOW);

        now.addAndGet(61 * SECOND);
        for (int i = 0; i < 50_000; i++) {
            log.warn("11." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), Reason.PENDING_HANDSHAKE_LIMIT, "flood");
        }
        assertThat(lines.lines()).hasSize(2 * RejectLog.MAX_LINES_PER_WINDOW);
        assertThat(lines.lines().get(RejectLog.MAX_LINES_PER_WINDOW)).contains("earlier rejections were not logged");
    }
}
