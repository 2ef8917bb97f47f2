package io.noex.testkit;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The faults a {@link FaultProxy} applies: one set for every connection, and one per peer (the node
 * at the other end of a connection, identified by its hello). A connection gets the union of both:
 * the longer delay, frozen if either is, partitioned if either is. Immutable; a change makes a new
 * value, which the proxy publishes and its connections read on each chunk.
 *
 * <p>Threading: immutable; thread-safe.
 */
record LinkFaults(Fault all, Map<String, Fault> byPeer) {

    static final LinkFaults NONE = new LinkFaults(Fault.NONE, Map.of());

    /** The faults on one link. */
    record Fault(Duration delay, boolean frozen, boolean partitioned) {
        static final Fault NONE = new Fault(Duration.ZERO, false, false);

        Fault union(Fault other) {
            return new Fault(delay.compareTo(other.delay) >= 0 ? delay : other.delay,
                    frozen || other.frozen, partitioned || other.partitioned);
        }

        Fault withDelay(Duration d) {
            return new Fault(d, frozen, partitioned);
        }

        Fault withFrozen(boolean f) {
            return new Fault(delay, f, partitioned);
        }

        Fault withPartitioned(boolean p) {
            return new Fault(delay, frozen, p);
        }
    }

    /**
     * @param peer the node name at the other end, if the connection was identified
     * @return the faults on that connection
     */
    Fault forPeer(Optional<String> peer) {
        if (peer.isEmpty()) {
            return all;
        }
        Fault p = byPeer.get(peer.get());
        return p == null ? all : all.union(p);
    }

    LinkFaults withAll(UnaryOperator<Fault> change) {
        return new LinkFaults(change.apply(all), byPeer);
    }

    LinkFaults withPeer(String peer, UnaryOperator<Fault> change) {
        Map<String, Fault> next = new HashMap<>(byPeer);
        Fault changed = change.apply(byPeer.getOrDefault(peer, Fault.NONE));
        if (changed.equals(Fault.NONE)) {
            next.remove(peer);
        } else {
            next.put(peer, changed);
        }
        return new LinkFaults(all, Map.copyOf(next));
    }

    /** @return these faults with every freeze lifted */
    LinkFaults resumed() {
        Map<String, Fault> next = new HashMap<>();
        byPeer.forEach((k, v) -> {
            Fault f = v.withFrozen(false);
            if (!f.equals(Fault.NONE)) {
                next.put(k, f);
            }
        });
        return new LinkFaults(all.withFrozen(false), Map.copyOf(next));
    }

    /**
     * @param nodeOrId a node name, or a NodeId string {@code name@host:port}
     * @return the node name
     */
    static String nodeName(String nodeOrId) {
        int at = nodeOrId.indexOf('@');
        return at < 0 ? nodeOrId : nodeOrId.substring(0, at);
    }
}
