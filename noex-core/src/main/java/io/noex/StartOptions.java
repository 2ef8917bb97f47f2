package io.noex;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start a GenServer. Immutable; build with {@link #builder()}:
 * {@snippet :
 * StartOptions options = StartOptions.builder()
 *         .name("counter")                       // registered locally, released on exit
 *         .initTimeout(Duration.ofSeconds(2))
 *         .args(List.of(42))                     // passed to init
 *         .build();
 * }
 */
public final class StartOptions {

    /** The default init timeout: 5 seconds. */
    public static final Duration DEFAULT_INIT_TIMEOUT = Duration.ofSeconds(5);

    private static final StartOptions DEFAULTS = builder().build();

    private final Optional<String> name;
    private final Duration initTimeout;
    private final boolean trapExit;
    private final List<Object> args;

    private StartOptions(Builder b) {
        this.name = Optional.ofNullable(b.name);
        this.initTimeout = b.initTimeout;
        this.trapExit = b.trapExit;
        this.args = Collections.unmodifiableList(new ArrayList<>(b.args));
    }

    /** @return options with every default: no name, 5 s init timeout, no exit trapping, no args */
    public static StartOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the local name to register, if any */
    public Optional<String> name() {
        return name;
    }

    /** @return how long {@code start} waits for {@code init} */
    public Duration initTimeout() {
        return initTimeout;
    }

    /** @return whether linked exits arrive as {@link Exit} messages instead of killing the process */
    public boolean trapExit() {
        return trapExit;
    }

    /** @return the arguments passed to {@code init}, unmodifiable */
    public List<Object> args() {
        return args;
    }

    /** @return a builder holding these options, to derive variants */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name.orElse(null);
        b.initTimeout = initTimeout;
        b.trapExit = trapExit;
        b.args = new ArrayList<>(args);
        return b;
    }

    @Override
    public String toString() {
        return "StartOptions[name=" + name.orElse("-") + ", initTimeout=" + initTimeout
                + ", trapExit=" + trapExit + ", args=" + args + "]";
    }

    /** Builds {@link StartOptions}; validation happens in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private String name;
        private Duration initTimeout = DEFAULT_INIT_TIMEOUT;
        private boolean trapExit;
        private List<Object> args = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param name a local name to register the process under; released when it exits. Must
         *     be non-empty, at most 255 characters, and must not start with {@code <} (process
         *     ids do). Default: none.
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * @param initTimeout how long {@code start} waits for {@code init}; positive. Default 5 s.
         * @return this builder
         */
        public Builder initTimeout(Duration initTimeout) {
            this.initTimeout = initTimeout;
            return this;
        }

        /**
         * @param trapExit whether exits of linked processes arrive as {@link Exit} messages
         *     instead of killing this process. Default false.
         * @return this builder
         */
        public Builder trapExit(boolean trapExit) {
            this.trapExit = trapExit;
            return this;
        }

        /**
         * @param args the arguments passed to {@code init}; elements may be null. Default: empty.
         * @return this builder
         */
        public Builder args(List<?> args) {
            Objects.requireNonNull(args, "args");
            this.args = new ArrayList<>(args);
            return this;
        }

        /**
         * @param args the arguments passed to {@code init}
         * @return this builder
         */
        public Builder args(Object... args) {
            Objects.requireNonNull(args, "args");
            this.args = new ArrayList<>(java.util.Arrays.asList(args));
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException naming the field, the value and the rule broken
         */
        public StartOptions build() {
            if (name != null) {
                NameRules.check(name);
            }
            if (initTimeout == null || initTimeout.isNegative() || initTimeout.isZero()) {
                throw new IllegalArgumentException("initTimeout must be positive, got " + initTimeout);
            }
            return new StartOptions(this);
        }
    }
}
