package io.noex;

import io.noex.spi.OneShot;

import io.noex.spi.DownListener;

/**
 * Lets a thread wait until a process has exited: an internal monitor listener that completes
 * when the process's exit fans out. Used by {@code stop} and by closing a node.
 *
 * <p>Threading: completed on the exiting thread; awaited on the creating thread.
 */
final class ExitWaiter extends OneShot implements DownListener {

    @Override
    public void down(MonitorRef monitor, GenServerRef target, ExitReason reason) {
        complete(reason);
    }

    /** @return true if the process exited within the timeout */
    boolean await(long timeoutNanos) {
        Object o = awaitOutcome(timeoutNanos);
        return o != TIMED_OUT && o != INTERRUPTED;
    }
}
