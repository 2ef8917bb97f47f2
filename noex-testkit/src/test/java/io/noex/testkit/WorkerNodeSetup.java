package io.noex.testkit;

import io.noex.Node;
import io.noex.distribution.BehaviorRegistry;
import io.noex.distribution.DistributedChildSpec;
import io.noex.distribution.DistributedSupervisor;
import io.noex.distribution.DistributedSupervisorRef;
import io.noex.distribution.DistributedSupervisorSpec;
import io.noex.distribution.NodeSelector;
import java.time.Duration;
import java.util.List;

/**
 * What a child JVM of the distributed-supervisor tests runs: the {@link TrackedWorker} behavior,
 * registered before the node joins, and two commands: {@code live} (the child ids with a live copy
 * on this node, comma-separated) and {@code supervise N} (start a distributed supervisor here with
 * N workers placed round-robin over the cluster; answers the supervisor's process id).
 */
public final class WorkerNodeSetup implements JvmNodeSetup {

    private final TrackedWorker worker = new TrackedWorker();

    /** Created by the child JVM. */
    public WorkerNodeSetup() {
    }

    @Override
    public void beforeStart(Node node) {
        BehaviorRegistry.register(node, "worker", worker);
    }

    @Override
    public String command(Node node, String command) {
        if (command.equals("live")) {
            return String.join(",", worker.liveIds(node));
        }
        if (command.startsWith("supervise ")) {
            int n = Integer.parseInt(command.substring("supervise ".length()).trim());
            DistributedSupervisorSpec.Builder spec = DistributedSupervisorSpec.builder()
                    .nodeSelector(NodeSelector.roundRobin()).restartIntensity(n, Duration.ofSeconds(60));
            for (int i = 0; i < n; i++) {
                spec.child(DistributedChildSpec.of("w" + i, "worker", List.of("w" + i)));
            }
            DistributedSupervisorRef sup = DistributedSupervisor.start(node, spec.build());
            return sup.ref().id();
        }
        throw new IllegalArgumentException("unknown command: " + command);
    }
}
