package io.noex.distribution;

import io.noex.MonitorRef;
import io.noex.Node;

/** A monitor set up with {@link RemoteMonitor#monitor}; remove it with {@link #demonitor()}. */
public final class MonitorHandle {

    private final Node node;
    private final MonitorRef ref;

    MonitorHandle(Node node, MonitorRef ref) {
        this.node = node;
        this.ref = ref;
    }

    /** @return the monitor's ref */
    public MonitorRef ref() {
        return ref;
    }

    /**
     * Removes the monitor: its callback will not run after this returns (unless it already started).
     *
     * @return true if the monitor was still active
     */
    public boolean demonitor() {
        return node.demonitor(ref);
    }

    /**
     * The seed's name for {@link #demonitor()}.
     *
     * @return true if the monitor was still active
     */
    public boolean unsubscribe() {
        return demonitor();
    }
}
