package io.noex;

import io.noex.spi.ReplySink;

/**
 * The caller of the call a process is handling, for a deferred reply: take it with
 * {@link GenServer#caller()} in {@code handleCall}, return {@link CallResult#noReply}, and answer
 * later with {@link GenServer#reply(Caller, Object)}, from this process or any other, local or
 * remote caller alike. Only the first reply counts. If the process exits before anyone replies,
 * the caller gets a {@link ServerExitedException} at once.
 */
public final class Caller {

    private final ReplySink sink;

    Caller(ReplySink sink) {
        this.sink = sink;
    }

    ReplySink sink() {
        return sink;
    }

    /** @return true once the caller has its answer (or stopped waiting) */
    public boolean isAnswered() {
        return sink.isDone();
    }
}
