package io.noex.examples.workers;

import io.noex.CallResult;
import io.noex.ExitReason;
import io.noex.GenServerBehavior;
import io.noex.Subscription;
import io.noex.SupervisorStrategy;
import io.noex.UnknownMessageException;
import io.noex.distribution.DistributedChildInfo;
import io.noex.distribution.DistributedChildSpec;
import io.noex.distribution.DistributedSupervisor;
import io.noex.distribution.DistributedSupervisorEvent;
import io.noex.distribution.DistributedSupervisorRef;
import io.noex.distribution.DistributedSupervisorSpec;
import io.noex.distribution.NodeSelector;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The process in front of a worker pool: it starts the pool's {@link DistributedSupervisor} (so
 * the supervisor runs on this process's node), hands out workers in turn, and stops the
 * supervisor, and with it every worker on every node, when it stops. Callers use it through
 * {@link WorkerPool}.
 *
 * <p>Threading: callbacks run on the pool process's thread; the event listener runs on a thread
 * of the supervisor's.
 */
final class PoolServer implements GenServerBehavior<PoolServer.State> {

    /** Call: replies with the next running worker's ref, in turn ({@code Optional<GenServerRef>}, empty if none runs). */
    record Checkout() {
    }

    /** Call: replies with the supervisor's children and where each runs ({@code List<DistributedChildInfo>}). */
    record Placement() {
    }

    /**
     * @param supervisor the pool's supervisor
     * @param events the subscription to its lifecycle events
     * @param next how many workers were handed out (the turn)
     */
    record State(DistributedSupervisorRef supervisor, Subscription events, long next) {
    }

    private final int size;
    private final Consumer<DistributedSupervisorEvent> listener;

    /**
     * @param size how many workers
     * @param listener told of the supervisor's lifecycle events (workers started, migrated, ...)
     */
    PoolServer(int size, Consumer<DistributedSupervisorEvent> listener) {
        this.size = size;
        this.listener = listener;
    }

    @Override
    public State init(List<Object> args) {
        DistributedSupervisorSpec.Builder spec = DistributedSupervisorSpec.builder()
                .strategy(SupervisorStrategy.ONE_FOR_ONE)     // a worker's failure concerns only itself
                .nodeSelector(NodeSelector.roundRobin())      // spread the workers over every node
                .restartIntensity(2 * size, Duration.ofSeconds(30)); // each migration counts once
        for (int i = 1; i <= size; i++) {
            String id = "worker-" + i;
            spec.child(DistributedChildSpec.of(id, Worker.BEHAVIOR, List.of(id)));
        }
        DistributedSupervisorRef sup = DistributedSupervisor.start(spec.build());
        return new State(sup, DistributedSupervisor.onLifecycleEvent(sup, listener), 0);
    }

    @Override
    public CallResult<State> handleCall(Object msg, State state) {
        return switch (msg) {
            case Checkout c -> {
                List<DistributedChildInfo> running = DistributedSupervisor.getChildren(state.supervisor()).stream()
                        .filter(w -> w.ref().isPresent()).toList();
                if (running.isEmpty()) {
                    yield CallResult.reply(Optional.empty(), state);
                }
                DistributedChildInfo w = running.get((int) (state.next() % running.size()));
                yield CallResult.reply(w.ref(), new State(state.supervisor(), state.events(), state.next() + 1));
            }
            case Placement p -> CallResult.reply(DistributedSupervisor.getChildren(state.supervisor()), state);
            default -> throw new UnknownMessageException(msg);
        };
    }

    @Override
    public State handleCast(Object msg, State state) {
        throw new UnknownMessageException(msg);
    }

    @Override
    public void terminate(ExitReason reason, State state) {
        state.events().close();
        DistributedSupervisor.stop(state.supervisor());
    }
}
