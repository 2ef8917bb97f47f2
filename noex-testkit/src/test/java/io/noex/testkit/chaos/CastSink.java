package io.noex.testkit.chaos;

import io.noex.CallResult;
import io.noex.GenServerBehavior;
import io.noex.testkit.chaos.ChaosMessages.Tagged;
import java.util.List;

/**
 * Receives every peer's tagged casts and checks them with a {@link CastOrderCheck}, recording
 * what breaks the invariant in the node's {@link ChaosLedger}.
 *
 * <p>Threading: a process; one message at a time.
 */
final class CastSink implements GenServerBehavior<CastOrderCheck> {

    private final ChaosLedger ledger;

    CastSink(ChaosLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public CastOrderCheck init(List<Object> args) {
        return new CastOrderCheck();
    }

    @Override
    public CallResult<CastOrderCheck> handleCall(Object msg, CastOrderCheck check) {
        // The test's question: how many gaps wait for a later cast to be judged.
        return CallResult.reply(check.undecided(), check);
    }

    @Override
    public CastOrderCheck handleCast(Object msg, CastOrderCheck check) {
        if (!(msg instanceof Tagged t)) {
            ledger.violation("cast-order", "the sink received an untagged cast: " + msg);
            return check;
        }
        long excused = check.excused();
        for (CastOrderCheck.Finding f : check.accept(t)) {
            ledger.violation(f.kind(), f.description());
        }
        ledger.count("casts.received");
        ledger.add("casts.gapsExcused", check.excused() - excused);
        return check;
    }
}
