package io.noex.distribution.remote;

import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.MonitorRef;
import io.noex.spi.DownListener;
import io.noex.spi.RemoteRouter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link RemoteRouter} of a clustered node: every operation on a remote ref, over the
 * cluster. Each method is a delegation to the service that owns that kind of request.
 *
 * <p>Threading: thread-safe; {@link #call}, {@link #stop}, {@link #kill} and {@link #isRunning} block.
 */
final class ClusterRouter implements RemoteRouter {

    private final RemoteCalls calls;
    private final ControlService control;
    private final RemoteSignals signals;

    ClusterRouter(RemoteCalls calls, ControlService control, RemoteSignals signals) {
        this.calls = calls;
        this.control = control;
        this.signals = signals;
    }

    @Override
    public Object call(GenServerRef target, Object msg, Duration timeout) {
        return calls.call(target, msg, timeout);
    }

    @Override
    public CompletableFuture<Object> callAsync(GenServerRef target, Object msg, Duration timeout) {
        return calls.callAsync(target, msg, timeout);
    }

    @Override
    public boolean cast(GenServerRef target, Object msg) {
        return calls.cast(target, msg, false);
    }

    @Override
    public boolean send(GenServerRef target, Object msg) {
        return calls.cast(target, msg, true);
    }

    @Override
    public void monitor(MonitorRef monitor, GenServerRef target, DownListener listener) {
        signals.monitor(monitor, target, listener);
    }

    @Override
    public void demonitor(MonitorRef monitor, GenServerRef target) {
        signals.demonitor(monitor, target);
    }

    @Override
    public void link(GenServerRef local, GenServerRef remote) {
        signals.link(local, remote);
    }

    @Override
    public void unlink(GenServerRef local, GenServerRef remote) {
        signals.unlink(local, remote);
    }

    @Override
    public void exitSignal(GenServerRef from, GenServerRef to, ExitReason reason) {
        signals.exitSignal(from, to, reason);
    }

    @Override
    public void stop(GenServerRef target, ExitReason reason, Duration timeout) {
        control.stop(target, reason, timeout);
    }

    @Override
    public void kill(GenServerRef target) {
        control.kill(target);
    }

    @Override
    public boolean isRunning(GenServerRef target) {
        return control.isRunning(target);
    }
}
