package io.noex.distribution;

import io.noex.SupervisorStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a {@link DistributedSupervisor} supervises, how, and where it places children.
 * Immutable; build with {@link #builder()}. Defaults: {@code ONE_FOR_ONE}, 3 restarts in 5 s,
 * {@link NodeSelector#localFirst()}.
 */
public final class DistributedSupervisorSpec {

    private final SupervisorStrategy strategy;
    private final NodeSelector nodeSelector;
    private final int maxRestarts;
    private final Duration restartWindow;
    private final List<DistributedChildSpec> children;
    private final List<Consumer<DistributedSupervisorEvent>> lifecycleListeners;

    private DistributedSupervisorSpec(Builder b) {
        this.strategy = b.strategy;
        this.nodeSelector = b.nodeSelector;
        this.maxRestarts = b.maxRestarts;
        this.restartWindow = b.restartWindow;
        this.children = Collections.unmodifiableList(new ArrayList<>(b.children));
        this.lifecycleListeners = List.copyOf(b.lifecycleListeners);
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the restart strategy */
    public SupervisorStrategy strategy() {
        return strategy;
    }

    /** @return where children go */
    public NodeSelector nodeSelector() {
        return nodeSelector;
    }

    /** @return restarts allowed within the window */
    public int maxRestarts() {
        return maxRestarts;
    }

    /** @return the intensity window */
    public Duration restartWindow() {
        return restartWindow;
    }

    /** @return the children in start order (for {@code SIMPLE_ONE_FOR_ONE}: the one template) */
    public List<DistributedChildSpec> children() {
        return children;
    }

    /**
     * @return the handlers told of every lifecycle event of a supervisor started from this spec,
     *     from its first ({@code supervisor_started} and the initial {@code child_started}s) on
     */
    public List<Consumer<DistributedSupervisorEvent>> lifecycleListeners() {
        return lifecycleListeners;
    }

    /** Builds a {@link DistributedSupervisorSpec}; not thread-safe. */
    public static final class Builder {
        private SupervisorStrategy strategy = SupervisorStrategy.ONE_FOR_ONE;
        private NodeSelector nodeSelector = NodeSelector.localFirst();
        private int maxRestarts = 3;
        private Duration restartWindow = Duration.ofSeconds(5);
        private final List<DistributedChildSpec> children = new ArrayList<>();
        private final List<Consumer<DistributedSupervisorEvent>> lifecycleListeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param strategy the restart strategy. Default ONE_FOR_ONE.
         * @return this builder
         */
        public Builder strategy(SupervisorStrategy strategy) {
            this.strategy = strategy;
            return this;
        }

        /**
         * @param selector where children go. Default localFirst.
         * @return this builder
         */
        public Builder nodeSelector(NodeSelector selector) {
            this.nodeSelector = selector;
            return this;
        }

        /**
         * @param maxRestarts restarts allowed within {@code within}; a child migrated off a lost
         *     node counts once. Default 3.
         * @param within the window. Default 5 s.
         * @return this builder
         */
        public Builder restartIntensity(int maxRestarts, Duration within) {
            this.maxRestarts = maxRestarts;
            this.restartWindow = within;
            return this;
        }

        /**
         * @param child a child, started after those added before it
         * @return this builder
         */
        public Builder child(DistributedChildSpec child) {
            children.add(Objects.requireNonNull(child, "child"));
            return this;
        }

        /**
         * Subscribes to the lifecycle events of the supervisor from the start, including the
         * events of its start itself, which {@link DistributedSupervisor#onLifecycleEvent} (a
         * subscription to a running supervisor) comes too late for. Handlers run as those of
         * {@code onLifecycleEvent} do: one event at a time, in order, on a virtual thread of
         * their own; what they throw is logged and ignored. May be called several times.
         *
         * @param handler told of each event
         * @return this builder
         */
        public Builder onLifecycleEvent(Consumer<DistributedSupervisorEvent> handler) {
            lifecycleListeners.add(Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /**
         * @return the spec
         * @throws IllegalArgumentException naming the field, the value and the rule broken
         */
        public DistributedSupervisorSpec build() {
            if (strategy == null || nodeSelector == null) {
                throw new IllegalArgumentException("strategy and nodeSelector must not be null");
            }
            if (maxRestarts < 0) {
                throw new IllegalArgumentException("maxRestarts must be 0 or more, got " + maxRestarts);
            }
            if (restartWindow == null || restartWindow.isNegative() || restartWindow.isZero()) {
                throw new IllegalArgumentException("restart window must be positive, got " + restartWindow);
            }
            Set<String> ids = new HashSet<>();
            for (DistributedChildSpec c : children) {
                if (!ids.add(c.id())) {
                    throw new IllegalArgumentException("children: duplicate child id '" + c.id() + "'");
                }
            }
            if (strategy == SupervisorStrategy.SIMPLE_ONE_FOR_ONE && children.size() != 1) {
                throw new IllegalArgumentException("children: SIMPLE_ONE_FOR_ONE needs exactly one child spec (the template), got "
                        + children.size());
            }
            return new DistributedSupervisorSpec(this);
        }
    }
}
