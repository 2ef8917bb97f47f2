package io.noex.distribution.registry;

import io.noex.GenServerRef;
import io.noex.NodeId;
import io.noex.distribution.ConflictAction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One node's replica of the global name table, and the rules by which replicas converge. No I/O
 * and no clock reading: time is passed in, so the rules are tested by feeding inputs.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Every registration carries a stamp from a Lamport clock (each node's clock moves past
 *       every stamp it sees), so a later registration in causal order has a larger stamp.</li>
 *   <li>When two registrations of one name meet, the one with the smaller
 *       {@code (stamp, node, process id)} wins, on every node: the rule depends on neither wall
 *       clocks nor arrival order, so all replicas keep the same winner.</li>
 *   <li>A removal leaves a tombstone for that exact registration (name and process), so a stale
 *       copy of it arriving later from a third node does not bring it back; tombstones are kept
 *       for a bounded time (longer than any stale copy can travel).</li>
 *   <li>Entries whose process lives on a node that is lost are dropped at once (those of that
 *       node's lost incarnation: a restarted node's new names may arrive before the old life is
 *       reported lost).</li>
 * </ul>
 *
 * <p>Threading: not thread-safe; confined to its service's serial executor.
 */
final class GlobalTable {

    /**
     * A registration: a name, its process, its stamp and what its process is told if it loses.
     *
     * @param hostIncarnation the incarnation of the process's node this replica accepted it from
     *     (local bookkeeping, never sent): losing that incarnation drops it, losing an older one
     *     (the node restarted and its new life's names arrived first) does not
     */
    record Entry(String name, GenServerRef ref, long stamp, ConflictAction action, long hostIncarnation) {

        /** An entry as it travels: no incarnation yet. */
        Entry(String name, GenServerRef ref, long stamp, ConflictAction action) {
            this(name, ref, stamp, action, 0);
        }

        Entry withHostIncarnation(long incarnation) {
            return new Entry(name, ref, stamp, action, incarnation);
        }
    }

    /** What a change did to the table. */
    sealed interface Change {
        record Added(Entry entry) implements Change {
        }

        record Removed(Entry entry) implements Change {
        }

        record Replaced(Entry winner, Entry loser) implements Change {
        }
    }

    private record Tomb(String name, GenServerRef ref) {
    }

    /** @param stamp the highest stamp of the removed registration; @param made when, for expiry */
    private record TombInfo(long stamp, long made) {
        TombInfo max(TombInfo o) {
            return new TombInfo(Math.max(stamp, o.stamp), Math.max(made, o.made));
        }
    }

    static final Comparator<Entry> ORDER = Comparator.comparingLong(Entry::stamp)
            .thenComparing(e -> e.ref().nodeId().toString())
            .thenComparing(e -> e.ref().id());

    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<Tomb, TombInfo> tombstones = new HashMap<>();
    private long clock;

    /** @return the winner of two registrations of one name */
    static Entry winner(Entry a, Entry b) {
        return ORDER.compare(a, b) <= 0 ? a : b;
    }

    Optional<Entry> get(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /**
     * A registration made on this node.
     *
     * @return the new entry, or the entry holding the name if another process holds it
     */
    Entry register(String name, GenServerRef ref, ConflictAction action, long hostIncarnation) {
        Entry current = entries.get(name);
        if (current != null) {
            return current;
        }
        Entry e = new Entry(name, ref, ++clock, action, hostIncarnation);
        entries.put(name, e);
        return e;
    }

    /** A registration from another node (with its host incarnation set). */
    List<Change> merge(Entry remote) {
        clock = Math.max(clock, remote.stamp());
        TombInfo tomb = tombstones.get(new Tomb(remote.name(), remote.ref()));
        if (tomb != null && tomb.stamp() >= remote.stamp()) {
            return List.of(); // a stale copy of a registration already removed
        }
        Entry current = entries.get(remote.name());
        if (current == null) {
            entries.put(remote.name(), remote);
            return List.of(new Change.Added(remote));
        }
        if (current.ref().equals(remote.ref())) {
            return List.of();
        }
        Entry win = winner(current, remote);
        if (win == current) {
            return List.of();
        }
        entries.put(remote.name(), remote);
        return List.of(new Change.Replaced(remote, current));
    }

    /**
     * Removes a registration, if {@code ref} still holds the name (any process if {@code ref} is
     * empty), and leaves a tombstone for it.
     */
    Optional<Entry> remove(String name, Optional<GenServerRef> ref, long stamp, long now) {
        Entry current = entries.get(name);
        ref.ifPresent(r -> tombstones.merge(new Tomb(name, r), new TombInfo(stamp, now), TombInfo::max));
        if (current == null || ref.isPresent() && !current.ref().equals(ref.get())) {
            return Optional.empty();
        }
        entries.remove(name);
        tombstones.merge(new Tomb(name, current.ref()), new TombInfo(current.stamp(), now), TombInfo::max);
        return Optional.of(current);
    }

    /**
     * @param node a node that was lost
     * @param incarnation the incarnation of it that was lost
     * @return the entries of its processes accepted from that incarnation or an older one, now removed
     */
    List<Entry> dropNode(NodeId node, long incarnation) {
        List<Entry> dropped = new ArrayList<>();
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.ref().nodeId().equals(node) && e.hostIncarnation() <= incarnation) {
                dropped.add(e);
                it.remove();
            }
        }
        return dropped;
    }

    /** Forgets tombstones made before {@code before} (their stale copies can no longer arrive). */
    void expireTombstones(long before) {
        tombstones.values().removeIf(t -> t.made() < before);
    }

    List<Entry> all() {
        return new ArrayList<>(entries.values());
    }

    int size() {
        return entries.size();
    }

    int tombstones() {
        return tombstones.size();
    }
}
