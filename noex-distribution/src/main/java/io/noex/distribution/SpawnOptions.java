package io.noex.distribution;

import io.noex.Registry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link RemoteSpawn#spawn} starts a process. Immutable; build with {@link #builder()}.
 * Defaults: no name, registration {@code LOCAL} (used only with a name), init timeout 5 s, spawn
 * timeout 10 s, no init arguments.
 */
public final class SpawnOptions {

    private static final SpawnOptions DEFAULTS = builder().build();

    private final Optional<String> name;
    private final Registration registration;
    private final Duration initTimeout;
    private final Duration timeout;
    private final List<Object> args;

    private SpawnOptions(Builder b) {
        this.name = Optional.ofNullable(b.name);
        this.registration = b.registration;
        this.initTimeout = b.initTimeout;
        this.timeout = b.timeout;
        this.args = Collections.unmodifiableList(new ArrayList<>(b.args));
    }

    /** @return the defaults */
    public static SpawnOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the name, if any */
    public Optional<String> name() {
        return name;
    }

    /** @return how the name is registered */
    public Registration registration() {
        return registration;
    }

    /** @return the init timeout on the target node */
    public Duration initTimeout() {
        return initTimeout;
    }

    /** @return how long the whole spawn may take */
    public Duration timeout() {
        return timeout;
    }

    /** @return the init arguments (serialized like messages) */
    public List<Object> args() {
        return args;
    }

    /** Builds {@link SpawnOptions}; not thread-safe. */
    public static final class Builder {
        private String name;
        private Registration registration = Registration.LOCAL;
        private Duration initTimeout = Duration.ofSeconds(5);
        private Duration timeout = Duration.ofSeconds(10);
        private List<Object> args = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param name the process's name, registered as {@link #registration}. Default: none.
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * @param registration LOCAL (default), GLOBAL or NONE
         * @return this builder
         */
        public Builder registration(Registration registration) {
            this.registration = registration;
            return this;
        }

        /**
         * @param initTimeout how long init may take on the target. Default 5 s.
         * @return this builder
         */
        public Builder initTimeout(Duration initTimeout) {
            this.initTimeout = initTimeout;
            return this;
        }

        /**
         * @param timeout how long the whole spawn may take. Default 10 s.
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * @param args init arguments, serialized like messages
         * @return this builder
         */
        public Builder args(List<?> args) {
            this.args = new ArrayList<>(Objects.requireNonNull(args, "args"));
            return this;
        }

        /**
         * @param args init arguments
         * @return this builder
         */
        public Builder args(Object... args) {
            this.args = new ArrayList<>(java.util.Arrays.asList(args));
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException naming the field, value and rule broken
         */
        public SpawnOptions build() {
            if (registration == null) {
                throw new IllegalArgumentException("registration must not be null");
            }
            if (initTimeout == null || initTimeout.isNegative() || initTimeout.isZero()) {
                throw new IllegalArgumentException("initTimeout must be positive, got " + initTimeout);
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            if (name != null && (name.isEmpty() || name.length() > Registry.MAX_NAME_LENGTH || name.charAt(0) == '<')) {
                throw new IllegalArgumentException("name must be 1 to " + Registry.MAX_NAME_LENGTH
                        + " characters and not start with '<', got '" + name + "'");
            }
            return new SpawnOptions(this);
        }
    }
}
