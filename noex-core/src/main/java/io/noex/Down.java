package io.noex;

import java.util.Objects;

/**
 * The message a monitor delivers to the watching process's {@link GenServerBehavior#handleInfo}
 * when the monitored process exits (or did not exist: reason {@code noproc}; or its node became
 * unreachable: reason {@code noconnection}). Delivered exactly once per monitor, unless the
 * monitor was removed first.
 *
 * @param monitorRef the monitor, as {@code GenServer.monitor} returned it
 * @param ref the monitored process
 * @param reason why it exited
 */
public record Down(MonitorRef monitorRef, GenServerRef ref, ExitReason reason) {

    /** @throws NullPointerException if a component is null */
    public Down {
        Objects.requireNonNull(monitorRef, "monitorRef");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(reason, "reason");
    }
}
