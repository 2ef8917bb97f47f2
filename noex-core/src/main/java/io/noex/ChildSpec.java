package io.noex;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One child of a {@link Supervisor}: how to start it, when to restart it, and how long it may
 * take to shut down. Immutable; build with {@link #worker} or {@link #supervisor}:
 * {@snippet :
 * ChildSpec cache = ChildSpec.worker("cache", new CacheServer())
 *         .args(List.of(1_000))
 *         .restart(RestartType.PERMANENT)
 *         .shutdown(Duration.ofSeconds(2))
 *         .build();
 * }
 */
public final class ChildSpec {

    /** The shutdown time meaning "wait as long as it takes" (Erlang's {@code infinity}). */
    public static final Duration INFINITY = Duration.ofDays(36_500);
    /** The shutdown time meaning "kill at once" (Erlang's {@code brutal_kill}). */
    public static final Duration BRUTAL_KILL = Duration.ZERO;
    /** The default shutdown time of a worker: 5 seconds. */
    public static final Duration DEFAULT_WORKER_SHUTDOWN = Duration.ofSeconds(5);

    /** Whether the child is a worker or a supervisor. */
    public enum Type {
        /** A GenServer doing work. */
        WORKER,
        /** A supervisor of its own children. */
        SUPERVISOR
    }

    private final String id;
    private final Type type;
    private final GenServerBehavior<?> behavior;
    private final SupervisorSpec supervisorSpec;
    private final List<Object> args;
    private final Optional<String> name;
    private final RestartType restart;
    private final Duration shutdown;
    private final Duration initTimeout;

    private ChildSpec(Builder b) {
        this.id = b.id;
        this.type = b.supervisorSpec == null ? Type.WORKER : Type.SUPERVISOR;
        this.behavior = b.behavior;
        this.supervisorSpec = b.supervisorSpec;
        this.args = Collections.unmodifiableList(new ArrayList<>(b.args));
        this.name = Optional.ofNullable(b.name);
        this.restart = b.restart;
        this.shutdown = b.shutdown != null ? b.shutdown : (type == Type.WORKER ? DEFAULT_WORKER_SHUTDOWN : INFINITY);
        this.initTimeout = b.initTimeout;
    }

    /**
     * @param id the child's id, unique within its supervisor
     * @param behavior the GenServer callbacks
     * @return a builder for a worker child
     */
    public static Builder worker(String id, GenServerBehavior<?> behavior) {
        return new Builder(id, Objects.requireNonNull(behavior, "behavior"), null);
    }

    /**
     * @param id the child's id, unique within its supervisor
     * @param spec the child supervisor's spec
     * @return a builder for a child that is itself a supervisor (default shutdown: infinity)
     */
    public static Builder supervisor(String id, SupervisorSpec spec) {
        return new Builder(id, null, Objects.requireNonNull(spec, "spec"));
    }

    /** @return the id, unique within the supervisor */
    public String id() {
        return id;
    }

    /** @return worker or supervisor */
    public Type type() {
        return type;
    }

    /** @return the init arguments (for {@code SIMPLE_ONE_FOR_ONE}, extra arguments are appended) */
    public List<Object> args() {
        return args;
    }

    /** @return the local name the child registers, if any */
    public Optional<String> name() {
        return name;
    }

    /** @return when the child is restarted */
    public RestartType restart() {
        return restart;
    }

    /** @return how long the child may take to stop before it is killed */
    public Duration shutdown() {
        return shutdown;
    }

    /** @return the init timeout of the child */
    public Duration initTimeout() {
        return initTimeout;
    }

    /** Starts the child linked to {@code supervisor}, with {@code extraArgs} after the spec's args. */
    GenServerRef start(Node node, ServerProcess supervisor, List<Object> extraArgs) {
        List<Object> all = args;
        if (!extraArgs.isEmpty()) {
            all = new ArrayList<>(args);
            all.addAll(extraArgs);
        }
        if (type == Type.SUPERVISOR) {
            StartOptions.Builder o = StartOptions.builder().trapExit(true).initTimeout(supervisorSpec.startTimeout());
            name.ifPresent(o::name);
            return node.spawn(new SupervisorServer(supervisorSpec, supervisor.ref), o.build(), supervisor);
        }
        StartOptions.Builder o = StartOptions.builder().args(all).initTimeout(initTimeout);
        name.ifPresent(o::name);
        return node.spawn(behavior, o.build(), supervisor);
    }

    @Override
    public String toString() {
        return "ChildSpec[" + id + ", " + type + ", " + restart + ", shutdown=" + shutdown + "]";
    }

    /** Builds a {@link ChildSpec}; validation happens in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private final GenServerBehavior<?> behavior;
        private final SupervisorSpec supervisorSpec;
        private List<Object> args = List.of();
        private String name;
        private RestartType restart = RestartType.PERMANENT;
        private Duration shutdown;
        private Duration initTimeout = StartOptions.DEFAULT_INIT_TIMEOUT;

        private Builder(String id, GenServerBehavior<?> behavior, SupervisorSpec supervisorSpec) {
            this.id = id;
            this.behavior = behavior;
            this.supervisorSpec = supervisorSpec;
        }

        /**
         * @param args init arguments. Default: none.
         * @return this builder
         */
        public Builder args(List<?> args) {
            this.args = new ArrayList<>(Objects.requireNonNull(args, "args"));
            return this;
        }

        /**
         * @param name a local name the child registers on every (re)start. Default: none.
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * @param restart when to restart. Default {@link RestartType#PERMANENT}.
         * @return this builder
         */
        public Builder restart(RestartType restart) {
            this.restart = restart;
            return this;
        }

        /**
         * @param shutdown how long the child may take to stop before it is killed;
         *     {@link #BRUTAL_KILL} kills at once, {@link #INFINITY} waits. Default: 5 s for
         *     workers, infinity for supervisors.
         * @return this builder
         */
        public Builder shutdown(Duration shutdown) {
            this.shutdown = shutdown;
            return this;
        }

        /**
         * @param initTimeout the child's init timeout. Default 5 s.
         * @return this builder
         */
        public Builder initTimeout(Duration initTimeout) {
            this.initTimeout = initTimeout;
            return this;
        }

        /**
         * @return the spec
         * @throws IllegalArgumentException naming the field, the value and the rule broken
         */
        public ChildSpec build() {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("child id must not be blank, got '" + id + "'");
            }
            if (restart == null) {
                throw new IllegalArgumentException("restart must not be null");
            }
            if (shutdown != null && shutdown.isNegative()) {
                throw new IllegalArgumentException("shutdown must not be negative, got " + shutdown);
            }
            if (initTimeout == null || initTimeout.isNegative() || initTimeout.isZero()) {
                throw new IllegalArgumentException("initTimeout must be positive, got " + initTimeout);
            }
            if (name != null) {
                NameRules.check(name);
            }
            return new ChildSpec(this);
        }
    }
}
