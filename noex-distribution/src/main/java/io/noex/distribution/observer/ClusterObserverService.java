package io.noex.distribution.observer;

import io.noex.Node;
import io.noex.NodeId;
import io.noex.NodeStats;
import io.noex.distribution.cluster.ClusterRuntime;
import io.noex.distribution.cluster.Member;
import io.noex.distribution.cluster.MemberState;
import io.noex.distribution.remote.RemoteLayer;
import io.noex.distribution.supervisor.SupervisionService;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Gathers what every member reports about itself: its process and supervisor counts, message and
 * frame counters, heap, uptime. Asks all members at once (one virtual thread each) and waits up
 * to a timeout; a member that does not answer in time is reported as such.
 *
 * <p>Threading: thread-safe; {@link #gather} blocks up to its timeout.
 */
public final class ClusterObserverService {

    /** What one member answered, or why it did not. */
    public record Answer(NodeId node, String status, Map<String, Object> figures, String error) {
    }

    private final ClusterRuntime runtime;
    private final Node node;
    private final RemoteLayer remote;
    private final SupervisionService supervision;

    /**
     * @param runtime the node's cluster runtime
     * @param node the node
     * @param remote the remote layer (it serves snapshot requests with {@link #local()})
     * @param supervision for the count of distributed supervisors
     */
    public ClusterObserverService(ClusterRuntime runtime, Node node, RemoteLayer remote, SupervisionService supervision) {
        this.runtime = runtime;
        this.node = node;
        this.remote = remote;
        this.supervision = supervision;
        remote.snapshotSource(this::local);
    }

    /** @return this node's figures */
    public Map<String, Object> local() {
        NodeStats s = node.stats();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        var t = runtime.transportCounters();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("processes", s.processes());
        out.put("supervisors", s.supervisors() + supervision.localSupervisors());
        out.put("handled", s.handledMessages());
        out.put("dropped", s.droppedMessages());
        out.put("framesIn", t.framesIn());
        out.put("framesOut", t.framesOut());
        out.put("heapUsed", heap.getUsed());
        out.put("heapMax", heap.getMax());
        out.put("uptimeMillis", runtime.uptime().toMillis());
        return out;
    }

    /**
     * @param timeout how long to wait for the members' answers
     * @return this node's figures first, then each known member's answer
     */
    public List<Answer> gather(Duration timeout) {
        List<Answer> out = new ArrayList<>();
        out.add(new Answer(runtime.self(), "CONNECTED", local(), null));
        List<CompletableFuture<Answer>> asked = new ArrayList<>();
        for (Member m : runtime.membership().members()) {
            if (m.state() != MemberState.UP) {
                asked.add(CompletableFuture.completedFuture(new Answer(m.id(), "DISCONNECTED", Map.of(), null)));
                continue;
            }
            CompletableFuture<Answer> f = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    f.complete(new Answer(m.id(), "CONNECTED", remote.snapshot(m.id(), timeout), null));
                } catch (io.noex.CallTimeoutException e) {
                    f.complete(new Answer(m.id(), "TIMEOUT", Map.of(), e.getMessage()));
                } catch (RuntimeException e) {
                    f.complete(new Answer(m.id(), "ERROR", Map.of(), e.getMessage()));
                }
            });
            asked.add(f);
        }
        for (CompletableFuture<Answer> f : asked) {
            out.add(f.join());
        }
        return out;
    }
}
