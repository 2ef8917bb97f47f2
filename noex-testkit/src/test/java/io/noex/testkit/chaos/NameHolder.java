package io.noex.testkit.chaos;

import io.noex.CallResult;
import io.noex.GenServerBehavior;
import io.noex.distribution.GlobalNameConflict;
import java.util.List;

/**
 * The process this node's {@link RegistryChurn} registers global names for. Names it loses to a
 * concurrent registration elsewhere are reported to it as {@link GlobalNameConflict} messages
 * (registered with {@code ConflictAction.MESSAGE}), which it counts.
 *
 * <p>Threading: a process; one message at a time.
 */
final class NameHolder implements GenServerBehavior<Integer> {

    static final String NAME = "chaos-holder";

    private final ChaosLedger ledger;

    NameHolder(ChaosLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public Integer init(List<Object> args) {
        return 0;
    }

    @Override
    public CallResult<Integer> handleCall(Object msg, Integer state) {
        return CallResult.reply(state, state);
    }

    @Override
    public Integer handleCast(Object msg, Integer state) {
        return state;
    }

    @Override
    public Integer handleInfo(Object msg, Integer state) {
        if (msg instanceof GlobalNameConflict) {
            ledger.count("registry.conflictsLost");
        }
        return state + 1;
    }
}
