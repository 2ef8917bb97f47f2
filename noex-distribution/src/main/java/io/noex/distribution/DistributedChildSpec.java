package io.noex.distribution;

import io.noex.RestartType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One child of a {@link DistributedSupervisor}: a behavior registered ({@link BehaviorRegistry})
 * on every node, its init arguments (serialized like messages), when to restart it and how long
 * it may take to stop. Immutable.
 */
public final class DistributedChildSpec {

    private final String id;
    private final String behaviorName;
    private final List<Object> initArgs;
    private final RestartType restart;
    private final Duration shutdown;
    private final Optional<NodeSelector> nodeSelector;

    private DistributedChildSpec(String id, String behaviorName, List<Object> initArgs, RestartType restart,
                                 Duration shutdown, Optional<NodeSelector> nodeSelector) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("child id must not be blank, got '" + id + "'");
        }
        if (behaviorName == null || behaviorName.isBlank()) {
            throw new IllegalArgumentException("behaviorName must not be blank, got '" + behaviorName + "'");
        }
        if (shutdown == null || shutdown.isNegative()) {
            throw new IllegalArgumentException("shutdown must not be negative, got " + shutdown);
        }
        this.id = id;
        this.behaviorName = behaviorName;
        this.initArgs = Collections.unmodifiableList(new ArrayList<>(Objects.requireNonNull(initArgs, "initArgs")));
        this.restart = Objects.requireNonNull(restart, "restart");
        this.shutdown = shutdown;
        this.nodeSelector = nodeSelector;
    }

    /**
     * @param childId the child's id, unique within the supervisor
     * @param behaviorName the registered behavior
     * @param initArgs its init arguments
     * @return a permanent child with a 5 s shutdown, placed by the supervisor's selector
     */
    public static DistributedChildSpec of(String childId, String behaviorName, List<Object> initArgs) {
        return new DistributedChildSpec(childId, behaviorName, initArgs, RestartType.PERMANENT, Duration.ofSeconds(5),
                Optional.empty());
    }

    /**
     * @param restart when to restart it
     * @return a copy with that restart type
     */
    public DistributedChildSpec withRestart(RestartType restart) {
        return new DistributedChildSpec(id, behaviorName, initArgs, restart, shutdown, nodeSelector);
    }

    /**
     * @param shutdown how long it may take to stop before it is killed
     * @return a copy with that shutdown time
     */
    public DistributedChildSpec withShutdown(Duration shutdown) {
        return new DistributedChildSpec(id, behaviorName, initArgs, restart, shutdown, nodeSelector);
    }

    /**
     * @param selector where to place this child (instead of the supervisor's selector)
     * @return a copy with that selector
     */
    public DistributedChildSpec withNodeSelector(NodeSelector selector) {
        return new DistributedChildSpec(id, behaviorName, initArgs, restart, shutdown, Optional.of(selector));
    }

    /**
     * @param childId a new id
     * @param extraArgs init arguments appended to this spec's
     * @return a copy with another id and more init arguments (a {@code SIMPLE_ONE_FOR_ONE} instance)
     */
    public DistributedChildSpec instance(String childId, List<?> extraArgs) {
        List<Object> all = new ArrayList<>(initArgs);
        all.addAll(extraArgs);
        return new DistributedChildSpec(childId, behaviorName, all, restart, shutdown, nodeSelector);
    }

    /** @return the id */
    public String id() {
        return id;
    }

    /** @return the registered behavior */
    public String behaviorName() {
        return behaviorName;
    }

    /** @return the init arguments */
    public List<Object> initArgs() {
        return initArgs;
    }

    /** @return when it is restarted */
    public RestartType restart() {
        return restart;
    }

    /** @return how long it may take to stop */
    public Duration shutdown() {
        return shutdown;
    }

    /** @return its own selector, if any */
    public Optional<NodeSelector> nodeSelector() {
        return nodeSelector;
    }

    @Override
    public String toString() {
        return "DistributedChildSpec[" + id + ", " + behaviorName + ", " + restart + "]";
    }
}
