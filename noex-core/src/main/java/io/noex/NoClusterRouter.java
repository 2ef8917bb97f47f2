package io.noex;

import io.noex.spi.DownListener;
import io.noex.spi.RemoteRouter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The router of a node that runs no cluster: no other node is reachable. Calls fail with
 * {@link NodeNotReachableException}; casts and sends are dropped (as Erlang drops messages to an
 * unreachable node); monitors fire {@code noconnection} at once; links deliver a
 * {@code noconnection} exit signal.
 */
final class NoClusterRouter implements RemoteRouter {

    private final Node node;

    NoClusterRouter(Node node) {
        this.node = node;
    }

    private static NodeNotReachableException unreachable(GenServerRef target) {
        return new NodeNotReachableException(target.nodeId(), "this node runs no cluster (start one with Cluster.start)");
    }

    @Override
    public Object call(GenServerRef target, Object msg, Duration timeout) {
        throw unreachable(target);
    }

    @Override
    public CompletableFuture<Object> callAsync(GenServerRef target, Object msg, Duration timeout) {
        return CompletableFuture.failedFuture(unreachable(target));
    }

    @Override
    public boolean cast(GenServerRef target, Object msg) {
        node.counters().messageDropped();
        return false;
    }

    @Override
    public boolean send(GenServerRef target, Object msg) {
        node.counters().messageDropped();
        return false;
    }

    @Override
    public void monitor(MonitorRef monitor, GenServerRef target, DownListener listener) {
        listener.down(monitor, target, ExitReason.noconnection());
    }

    @Override
    public void demonitor(MonitorRef monitor, GenServerRef target) {
    }

    @Override
    public void link(GenServerRef local, GenServerRef remote) {
        node.signals().remoteExitSignal(remote, local, ExitReason.noconnection());
    }

    @Override
    public void unlink(GenServerRef local, GenServerRef remote) {
    }

    @Override
    public void exitSignal(GenServerRef from, GenServerRef to, ExitReason reason) {
    }

    @Override
    public void stop(GenServerRef target, ExitReason reason, Duration timeout) {
        throw unreachable(target);
    }

    @Override
    public void kill(GenServerRef target) {
        throw unreachable(target);
    }

    @Override
    public boolean isRunning(GenServerRef target) {
        return false;
    }
}
