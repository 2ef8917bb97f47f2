package io.noex.distribution.remote;

import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.MonitorRef;
import io.noex.spi.DownListener;

/**
 * Monitors and links across nodes, as the router needs them. Defined here and implemented by the
 * coordination layer above (RemoteMonitor and RemoteLink), which the facade plugs in.
 *
 * <p>Threading: every method is thread-safe and non-blocking.
 */
public interface RemoteSignals {

    /**
     * @param monitor the monitor
     * @param target a remote process
     * @param listener told once when it exits (noconnection if its node is lost)
     */
    void monitor(MonitorRef monitor, GenServerRef target, DownListener listener);

    /**
     * @param monitor the monitor to remove
     * @param target the process it watched
     */
    void demonitor(MonitorRef monitor, GenServerRef target);

    /**
     * @param local the local process (its half is recorded)
     * @param remote the remote process
     */
    void link(GenServerRef local, GenServerRef remote);

    /**
     * @param local the local process
     * @param remote the remote process
     */
    void unlink(GenServerRef local, GenServerRef remote);

    /**
     * @param from a local process that exited
     * @param to a linked remote process
     * @param reason why
     */
    void exitSignal(GenServerRef from, GenServerRef to, ExitReason reason);
}
