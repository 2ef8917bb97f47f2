package io.noex.distribution;

import io.noex.ExitReason;
import io.noex.GenServer;
import io.noex.GenServerRef;
import io.noex.Node;
import java.util.function.BiConsumer;

/**
 * Monitors a process on any node with a callback (the seed's form; {@link GenServer#monitor}
 * gives the process form, delivering {@link io.noex.Down} messages). The callback runs exactly
 * once, on its own virtual thread: with the process's real exit reason, {@code noproc} if it does
 * not exist, or {@code noconnection} when its node is lost or partitioned away.
 * {@snippet :
 * MonitorHandle h = RemoteMonitor.monitor(remoteRef, (ref, reason) -> restartElsewhere(ref, reason));
 * h.demonitor();
 * }
 */
public final class RemoteMonitor {

    private RemoteMonitor() {
    }

    /**
     * @param ref the process, on any node, by id or name
     * @param onDown told the process and its exit reason, once
     * @return the monitor
     */
    public static MonitorHandle monitor(GenServerRef ref, BiConsumer<GenServerRef, ExitReason> onDown) {
        Node node = Node.current();
        return new MonitorHandle(node, node.monitor(ref, onDown));
    }
}
