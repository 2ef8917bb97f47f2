package io.noex;

import io.noex.spi.DownListener;
import io.noex.spi.LocalNode;
import io.noex.spi.RemoteRouter;
import io.noex.spi.ReplySink;
import io.noex.time.Scheduler;

/**
 * {@link LocalNode} for one {@link Node}: the distribution layer's handle on the runtime. Each
 * method is a short delegation to the node's components.
 *
 * <p>Threading: thread-safe; nothing here blocks.
 */
final class NodeSpi implements LocalNode {

    private final Node node;

    NodeSpi(Node node) {
        this.node = node;
    }

    @Override
    public NodeId nodeId() {
        return node.nodeId();
    }

    @Override
    public boolean isLocal(NodeId id) {
        return node.isLocal(id);
    }

    @Override
    public void assumeIdentity(NodeId id) {
        node.assumeIdentity(id);
    }

    @Override
    public void releaseIdentity() {
        node.releaseIdentity();
    }

    @Override
    public void installRouter(RemoteRouter router) {
        node.installRouter(router);
    }

    @Override
    public int processCount() {
        return node.processCount();
    }

    @Override
    public Scheduler scheduler() {
        return node.scheduler();
    }

    @Override
    public GenServerRef canonical(GenServerRef ref) {
        NodeId current = node.nodeId();
        if (ref.nodeId().equals(current) || !node.isLocal(ref.nodeId())) {
            return ref;
        }
        return new GenServerRef(ref.id(), current);
    }

    private ServerProcess local(GenServerRef target) {
        return node.isLocal(target.nodeId()) ? node.table().get(target.id()) : null;
    }

    @Override
    public boolean deliverCall(GenServerRef target, Object msg, ReplySink from) {
        ServerProcess p = local(target);
        return p != null && p.enqueue(new Envelope.Call(msg, from));
    }

    @Override
    public boolean deliverCast(GenServerRef target, Object msg) {
        ServerProcess p = local(target);
        return p != null && p.enqueue(new Envelope.Cast(msg));
    }

    @Override
    public boolean deliverSend(GenServerRef target, Object msg) {
        ServerProcess p = local(target);
        return p != null && p.enqueue(new Envelope.Info(msg));
    }

    @Override
    public java.util.Optional<MonitorRef> watch(GenServerRef target, DownListener listener) {
        ServerProcess p = local(target);
        MonitorRef monitor = node.signals().newMonitorRef();
        return p != null && p.addWatcher(monitor, listener) ? java.util.Optional.of(monitor) : java.util.Optional.empty();
    }

    @Override
    public void unwatch(GenServerRef target, MonitorRef monitor) {
        ServerProcess p = local(target);
        if (p != null) {
            p.removeWatcher(monitor);
        }
    }

    @Override
    public java.util.Optional<GenServerRef> linkRemote(GenServerRef local, GenServerRef remote) {
        ServerProcess p = local(local);
        if (p == null) {
            return java.util.Optional.empty();
        }
        synchronized (p) {
            return p.addLinkLocked(remote) ? java.util.Optional.of(p.ref) : java.util.Optional.empty();
        }
    }

    @Override
    public void unlinkRemote(GenServerRef local, GenServerRef remote) {
        ServerProcess p = local(local);
        if (p != null) {
            synchronized (p) {
                p.removeLinkLocked(remote);
            }
        }
    }

    @Override
    public void exitSignal(GenServerRef from, GenServerRef to, ExitReason reason) {
        node.signals().remoteExitSignal(from, to, reason);
    }
}
