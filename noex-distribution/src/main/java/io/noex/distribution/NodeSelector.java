package io.noex.distribution;

import io.noex.NodeId;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a {@link DistributedSupervisor} places a child: given the child's id and the candidate
 * nodes (this node and every connected member, as {@link NodeInfo} with their process counts), it
 * returns one of them. A custom selector is a lambda; if it throws, or returns a node that is not
 * a candidate, the child is not started and the supervisor reports a clear error (and keeps
 * running).
 * {@snippet :
 * NodeSelector byHash = (childId, candidates) ->
 *         candidates.get(Math.floorMod(childId.hashCode(), candidates.size())).id();
 * }
 */
@FunctionalInterface
public interface NodeSelector {

    /**
     * @param childId the child to place
     * @param candidates the nodes it may go to, this node first, never empty
     * @return the chosen node (one of the candidates)
     */
    NodeId select(String childId, List<NodeInfo> candidates);

    /** @return this node while it is a candidate (always, while it runs), else the first other */
    static NodeSelector localFirst() {
        return (childId, candidates) -> candidates.get(0).id();
    }

    /** @return each placement on the next candidate in turn (in NodeId order) */
    static NodeSelector roundRobin() {
        AtomicInteger next = new AtomicInteger();
        return (childId, candidates) -> {
            List<NodeInfo> sorted = candidates.stream().sorted(Comparator.comparing(NodeInfo::id)).toList();
            return sorted.get(Math.floorMod(next.getAndIncrement(), sorted.size())).id();
        };
    }

    /** @return the candidate running the fewest processes (real counts, from heartbeats) */
    static NodeSelector leastLoaded() {
        return (childId, candidates) -> candidates.stream()
                .min(Comparator.comparingInt(NodeInfo::processCount).thenComparing(NodeInfo::id))
                .orElseThrow().id();
    }

    /** @return a uniformly random candidate */
    static NodeSelector random() {
        return (childId, candidates) -> candidates.get(ThreadLocalRandom.current().nextInt(candidates.size())).id();
    }

    /**
     * @param node a node
     * @return always that node (placement fails while it is not a candidate)
     */
    static NodeSelector node(NodeId node) {
        Objects.requireNonNull(node, "node");
        return (childId, candidates) -> node;
    }
}
