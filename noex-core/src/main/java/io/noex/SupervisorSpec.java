package io.noex;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link Supervisor} supervises and how. Immutable; build with {@link #builder()}:
 * {@snippet :
 * SupervisorSpec spec = SupervisorSpec.builder()
 *         .strategy(SupervisorStrategy.ONE_FOR_ONE)
 *         .restartIntensity(3, Duration.ofSeconds(5))
 *         .child(ChildSpec.worker("cache", new CacheServer()).build())
 *         .child(ChildSpec.worker("api", new ApiServer()).build())
 *         .build();
 * }
 */
public final class SupervisorSpec {

    /** Default restart intensity: 3 restarts ... */
    public static final int DEFAULT_MAX_RESTARTS = 3;
    /** ... within 5 seconds. */
    public static final Duration DEFAULT_RESTART_WINDOW = Duration.ofSeconds(5);
    /** Default time for the supervisor to start all its children: 30 seconds. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);

    private final SupervisorStrategy strategy;
    private final int maxRestarts;
    private final Duration restartWindow;
    private final List<ChildSpec> children;
    private final Optional<String> name;
    private final Duration startTimeout;

    private SupervisorSpec(Builder b) {
        this.strategy = b.strategy;
        this.maxRestarts = b.maxRestarts;
        this.restartWindow = b.restartWindow;
        this.children = Collections.unmodifiableList(new ArrayList<>(b.children));
        this.name = Optional.ofNullable(b.name);
        this.startTimeout = b.startTimeout;
    }

    /** @return a builder with the defaults: one_for_one, 3 restarts in 5 s, no children */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the restart strategy */
    public SupervisorStrategy strategy() {
        return strategy;
    }

    /** @return more restarts than this within {@link #restartWindow()} make the supervisor give up */
    public int maxRestarts() {
        return maxRestarts;
    }

    /** @return the window of the restart intensity */
    public Duration restartWindow() {
        return restartWindow;
    }

    /** @return the children, in start order (for {@code SIMPLE_ONE_FOR_ONE}: the one template) */
    public List<ChildSpec> children() {
        return children;
    }

    /** @return the supervisor's local name, if any */
    public Optional<String> name() {
        return name;
    }

    /** @return how long starting the supervisor and all its children may take */
    public Duration startTimeout() {
        return startTimeout;
    }

    /** Builds a {@link SupervisorSpec}; validation happens in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private SupervisorStrategy strategy = SupervisorStrategy.ONE_FOR_ONE;
        private int maxRestarts = DEFAULT_MAX_RESTARTS;
        private Duration restartWindow = DEFAULT_RESTART_WINDOW;
        private final List<ChildSpec> children = new ArrayList<>();
        private String name;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;

        private Builder() {
        }

        /**
         * @param strategy the restart strategy. Default {@link SupervisorStrategy#ONE_FOR_ONE}.
         * @return this builder
         */
        public Builder strategy(SupervisorStrategy strategy) {
            this.strategy = strategy;
            return this;
        }

        /**
         * @param maxRestarts the most restarts allowed within {@code within}; 0 or more. Default 3.
         * @param within the window. Default 5 s.
         * @return this builder
         */
        public Builder restartIntensity(int maxRestarts, Duration within) {
            this.maxRestarts = maxRestarts;
            this.restartWindow = within;
            return this;
        }

        /**
         * @param child a child, added after those already added
         * @return this builder
         */
        public Builder child(ChildSpec child) {
            children.add(Objects.requireNonNull(child, "child"));
            return this;
        }

        /**
         * @param children children, added in order
         * @return this builder
         */
        public Builder children(List<ChildSpec> children) {
            for (ChildSpec c : children) {
                child(c);
            }
            return this;
        }

        /**
         * @param name a local name for the supervisor. Default: none.
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * @param startTimeout how long starting the supervisor and its children may take. Default 30 s.
         * @return this builder
         */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /**
         * @return the spec
         * @throws IllegalArgumentException naming the field, the value and the rule broken
         */
        public SupervisorSpec build() {
            if (strategy == null) {
                throw new IllegalArgumentException("strategy must not be null");
            }
            if (maxRestarts < 0) {
                throw new IllegalArgumentException("maxRestarts must be 0 or more, got " + maxRestarts);
            }
            if (restartWindow == null || restartWindow.isNegative() || restartWindow.isZero()) {
                throw new IllegalArgumentException("restart window must be positive, got " + restartWindow);
            }
            if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, got " + startTimeout);
            }
            Set<String> ids = new HashSet<>();
            for (ChildSpec c : children) {
                if (!ids.add(c.id())) {
                    throw new IllegalArgumentException("children: duplicate child id '" + c.id() + "'");
                }
            }
            if (strategy == SupervisorStrategy.SIMPLE_ONE_FOR_ONE && children.size() != 1) {
                throw new IllegalArgumentException(
                        "children: SIMPLE_ONE_FOR_ONE needs exactly one child spec (the template), got " + children.size());
            }
            if (name != null) {
                NameRules.check(name);
            }
            return new SupervisorSpec(this);
        }
    }
}
