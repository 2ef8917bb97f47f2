package io.noex.distribution.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.distribution.transport.ProtocolViolationException.Reason;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Rejections are logged once per peer address and reason per minute, whatever the source port. */
class RejectLogTest {

    private final AtomicLong clock = new AtomicLong();
    private final RejectLog rejectLog = new RejectLog(LoggerFactory.getLogger(RejectLogTest.class), clock::get);

    private static InetSocketAddress from(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    @Test
    void aPeerOpeningAConnectionPerBadInput_isLoggedOncePerMinute() {
        assertThat(rejectLog.warn(from("127.0.0.1", 40001), Reason.BAD_HANDSHAKE, "first")).isTrue();
        for (int port = 40002; port < 41000; port++) {
            assertThat(rejectLog.warn(from("127.0.0.1", port), Reason.BAD_HANDSHAKE, "again")).isFalse();
        }
        clock.addAndGet(59_000_000_000L);
        assertThat(rejectLog.warn(from("127.0.0.1", 41000), Reason.BAD_HANDSHAKE, "within the minute")).isFalse();
        clock.addAndGet(1_000_000_000L);
        assertThat(rejectLog.warn(from("127.0.0.1", 41001), Reason.BAD_HANDSHAKE, "a minute later")).isTrue();
    }

    @Test
    void anotherReasonOrAnotherAddress_isLoggedOnItsOwn() {
        assertThat(rejectLog.warn(from("127.0.0.1", 40001), Reason.BAD_HANDSHAKE, "one")).isTrue();
        assertThat(rejectLog.warn(from("127.0.0.1", 40002), Reason.OVERSIZED_FRAME, "other reason")).isTrue();
        assertThat(rejectLog.warn(from("127.0.0.2", 40001), Reason.BAD_HANDSHAKE, "other address")).isTrue();
    }
}
