package io.noex;

import io.noex.spi.DownListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Monitors and links of one node, and what happens to them when a process exits.
 *
 * <p>Every monitor this node created is in {@link #active} until it fires or is removed; firing
 * and {@code demonitor} both remove it, and whichever removes it first decides, so a monitor
 * fires at most once and never after {@code demonitor} returned. A monitor on a process that is
 * gone, or goes while the monitor is being set up, fires {@code noproc} or the real reason exactly
 * once (the target's signal table is detached under its lock in one step).
 *
 * <p>Threading: thread-safe. Locks: a process's monitor, and for a link between two local
 * processes both monitors, taken in process-id order; no lock is held while listeners run.
 */
final class Signals {

    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    /** One monitor created by this node. */
    private record Active(ServerProcess holder, GenServerRef target, ServerProcess localTarget) {
    }

    private final Node node;
    private final ConcurrentHashMap<MonitorRef, Active> active = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();

    Signals(Node node) {
        this.node = node;
    }

    /** A monitor whose {@link Down} goes to {@code holder}'s mailbox. */
    MonitorRef monitorFromProcess(ServerProcess holder, GenServerRef target) {
        return monitor(holder, target, (m, t, reason) ->
                holder.enqueue(new Envelope.MonitorDown(new Down(m, target, reason))));
    }

    /** A monitor that runs a user callback, on its own virtual thread, through the guard. */
    MonitorRef monitorWithCallback(GenServerRef target, BiConsumer<GenServerRef, ExitReason> onDown) {
        return monitor(null, target, (m, t, reason) ->
                node.runCallback("monitor callback for " + target, () -> onDown.accept(target, reason)));
    }

    /** A monitor with an internal listener (runs on the exiting thread; must be quick). */
    MonitorRef monitorWithListener(GenServerRef target, DownListener listener) {
        return monitor(null, target, listener);
    }

    MonitorRef newMonitorRef() {
        return new MonitorRef(counter.incrementAndGet());
    }

    private MonitorRef monitor(ServerProcess holder, GenServerRef target, DownListener deliver) {
        MonitorRef m = newMonitorRef();
        DownListener fire = (mr, ignored, reason) -> {
            if (active.remove(mr) != null) {
                deliver.down(mr, target, reason);
            }
        };
        boolean local = node.isLocal(target.nodeId());
        ServerProcess t = local ? node.table().get(target.id()) : null;
        active.put(m, new Active(holder, target, t));
        if (holder != null && !holder.addHeld(m, target)) {
            active.remove(m);
            return m; // the watcher itself is gone: nobody to tell
        }
        if (local) {
            if (t == null || !t.addWatcher(m, fire)) {
                fire.down(m, target, ExitReason.noproc());
            }
        } else {
            node.router().monitor(m, target, fire);
        }
        return m;
    }

    /**
     * @return true if the monitor was active, or its {@link Down} was still queued for the
     *     calling process (and now never will be delivered)
     */
    boolean demonitor(MonitorRef m) {
        Active a = active.remove(m);
        boolean removed = a != null;
        ServerProcess holder = a != null ? a.holder() : ProcessContext.current();
        if (holder != null && holder.takeHeld(m)) {
            removed = true;
        }
        if (a != null) {
            if (a.localTarget() != null) {
                a.localTarget().removeWatcher(m);
            } else if (!node.isLocal(a.target().nodeId())) {
                quietly(() -> node.router().demonitor(m, a.target()));
            }
        }
        return removed;
    }

    void link(GenServerRef a, GenServerRef b) {
        boolean aLocal = node.isLocal(a.nodeId());
        boolean bLocal = node.isLocal(b.nodeId());
        if (!aLocal && !bLocal) {
            throw new IllegalArgumentException("a link needs a process on this node, got " + a + " and " + b);
        }
        ServerProcess pa = aLocal ? live(a) : null;
        ServerProcess pb = bLocal ? live(b) : null;
        if (pa == pb) {
            return; // linking a process to itself does nothing (Erlang)
        }
        if (aLocal && bLocal) {
            ServerProcess first = pa.id().compareTo(pb.id()) < 0 ? pa : pb;
            ServerProcess second = first == pa ? pb : pa;
            synchronized (first) {
                synchronized (second) {
                    if (!pa.isAlive()) {
                        throw new ServerNotRunningException(a);
                    }
                    if (!pb.isAlive()) {
                        throw new ServerNotRunningException(b);
                    }
                    pa.addLinkLocked(pb.ref);
                    pb.addLinkLocked(pa.ref);
                }
            }
            return;
        }
        ServerProcess local = aLocal ? pa : pb;
        GenServerRef remote = aLocal ? b : a;
        synchronized (local) {
            if (!local.addLinkLocked(remote)) {
                throw new ServerNotRunningException(local.ref);
            }
        }
        node.router().link(local.ref, remote);
    }

    void unlink(GenServerRef a, GenServerRef b) {
        ServerProcess pa = node.isLocal(a.nodeId()) ? node.table().get(a.id()) : null;
        ServerProcess pb = node.isLocal(b.nodeId()) ? node.table().get(b.id()) : null;
        if (pa != null) {
            synchronized (pa) {
                pa.removeLinkLocked(pb != null ? pb.ref : b);
            }
        }
        if (pb != null) {
            synchronized (pb) {
                pb.removeLinkLocked(pa != null ? pa.ref : a);
            }
        }
        if (pa != null && pb == null && !node.isLocal(b.nodeId())) {
            quietly(() -> node.router().unlink(pa.ref, b));
        } else if (pb != null && pa == null && !node.isLocal(a.nodeId())) {
            quietly(() -> node.router().unlink(pb.ref, a));
        }
    }

    /** An exit signal that arrived from a remote linked process (or a lost connection). */
    void remoteExitSignal(GenServerRef from, GenServerRef localTo, ExitReason reason) {
        ServerProcess p = node.table().get(localTo.id());
        if (p != null) {
            p.exitSignal(from, reason);
        }
    }

    /** Fans out the exit of {@code p}: timers, monitors it held, links, monitors on it. */
    void processExited(ServerProcess p, SignalTable sig, ExitReason reason) {
        if (sig.timers != null) {
            for (long id : sig.timers) {
                node.timers().cancelOnExit(id);
            }
        }
        if (sig.held != null) {
            for (Map.Entry<MonitorRef, GenServerRef> e : sig.held.entrySet()) {
                Active a = active.remove(e.getKey());
                if (a == null) {
                    continue;
                }
                if (a.localTarget() != null) {
                    a.localTarget().removeWatcher(e.getKey());
                } else if (!node.isLocal(e.getValue().nodeId())) {
                    quietly(() -> node.router().demonitor(e.getKey(), e.getValue()));
                }
            }
        }
        if (sig.links != null) {
            for (GenServerRef other : sig.links) {
                if (node.isLocal(other.nodeId())) {
                    ServerProcess o = node.table().get(other.id());
                    if (o != null) {
                        o.exitSignal(p.ref, reason);
                    }
                } else {
                    quietly(() -> node.router().exitSignal(p.ref, other, reason));
                }
            }
        }
        if (sig.watchers != null) {
            for (Map.Entry<MonitorRef, DownListener> e : sig.watchers.entrySet()) {
                try {
                    e.getValue().down(e.getKey(), p.ref, reason);
                } catch (Throwable t) {
                    log.warn("down listener of monitor {} on {} threw; ignored", e.getKey(), p.ref, t);
                }
            }
        }
    }

    /** @return the number of monitors this node created that have neither fired nor been removed */
    int activeMonitors() {
        return active.size();
    }

    private ServerProcess live(GenServerRef ref) {
        ServerProcess p = node.table().get(ref.id());
        if (p == null) {
            throw new ServerNotRunningException(ref);
        }
        return p;
    }

    private static void quietly(Runnable remoteOp) {
        try {
            remoteOp.run();
        } catch (NoexException e) {
            // The node is unreachable: its side of the monitor or link is gone with it.
            log.debug("remote signal not delivered: {}", e.getMessage());
        }
    }
}
