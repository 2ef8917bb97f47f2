package io.noex.spi;

import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.MonitorRef;

/**
 * Told when a monitored process exits. Runs on the thread that carries out the exit, so it must
 * be quick, must not block and must not run user code: it enqueues a message, completes a future,
 * or hands the event to another executor or to the network layer.
 */
@FunctionalInterface
public interface DownListener {

    /**
     * @param monitor the monitor that fired
     * @param target the process that exited
     * @param reason why
     */
    void down(MonitorRef monitor, GenServerRef target, ExitReason reason);
}
