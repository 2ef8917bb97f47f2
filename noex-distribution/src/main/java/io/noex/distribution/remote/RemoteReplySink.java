package io.noex.distribution.remote;

import io.noex.NoexException;
import io.noex.distribution.MessageSerializationException;
import io.noex.distribution.cluster.ClusterRuntime;
import io.noex.distribution.serialization.MessageType;
import io.noex.distribution.transport.Connection;
import io.noex.spi.ReplySink;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where a local process's answer to a remote caller goes: encoded as CALL_REPLY (or CALL_ERROR)
 * and sent back on the caller's connection. A reply that cannot be serialized becomes a
 * serialization error for the caller, naming the offending value; the serving process is not
 * affected.
 *
 * <p>Threading: called from the serving process's thread (or whoever replies for it); the first
 * reply or failure wins.
 */
final class RemoteReplySink implements ReplySink {

    private final ClusterRuntime runtime;
    private final Connection caller;
    private final long callId;
    private final AtomicBoolean done = new AtomicBoolean();

    RemoteReplySink(ClusterRuntime runtime, Connection caller, long callId) {
        this.runtime = runtime;
        this.caller = caller;
        this.callId = callId;
    }

    @Override
    public void reply(Object value) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        byte[] frame;
        try {
            frame = runtime.encode(MessageType.CALL_REPLY, (out, v) -> {
                out.packLong(callId);
                v.write("reply", value);
            });
        } catch (MessageSerializationException e) {
            frame = errorFrame(e);
        }
        caller.sendAnswer(frame);
    }

    @Override
    public void fail(NoexException error) {
        if (done.compareAndSet(false, true)) {
            caller.sendAnswer(errorFrame(error));
        }
    }

    private byte[] errorFrame(NoexException error) {
        try {
            return runtime.encode(MessageType.CALL_ERROR, (out, v) -> {
                out.packLong(callId);
                CallErrors.write(out, v, error);
            });
        } catch (MessageSerializationException e) {
            // The failure itself would not encode (an exception carrying something odd): say so plainly.
            return runtime.encode(MessageType.CALL_ERROR, (out, v) -> {
                out.packLong(callId);
                CallErrors.write(out, v, new NoexException(error.getClass().getName() + ": " + error.getMessage()));
            });
        }
    }

    @Override
    public boolean isDone() {
        return done.get();
    }
}
