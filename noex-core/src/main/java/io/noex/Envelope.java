package io.noex;

import io.noex.spi.ReplySink;

/**
 * What a mailbox holds: a sealed set, so the drain loop's {@code switch} is exhaustive and a
 * control message can never be mistaken for a user message (OTP keeps system messages apart the
 * same way).
 */
sealed interface Envelope {

    /** A synchronous request; the answer goes to {@code from}. */
    record Call(Object msg, ReplySink from) implements Envelope {
    }

    /** An asynchronous request. */
    record Cast(Object msg) implements Envelope {
    }

    /** Any other message: {@code send}, timers, and {@link Exit} for processes trapping exits. */
    record Info(Object msg) implements Envelope {
    }

    /**
     * A monitor fired. Kept apart from {@link Info} because it is delivered only if the monitor
     * is still held when the message is handled: after {@code demonitor} returns, no {@link Down}
     * for that monitor reaches {@code handleInfo}, even one already queued.
     */
    record MonitorDown(Down down) implements Envelope {
    }

    /** {@code GenServer.stop}: run {@code terminate}, then exit with {@code reason}. */
    record Stop(ExitReason reason) implements Envelope {
    }
}
