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
import java.util.function.Predicate;

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
 *   <li>A registration that loses is not forgotten: it waits behind the winner (a
 *       <em>contender</em>) until its own removal arrives or its node is lost. Only the loser's
 *       node removes it (after telling the loser), and that removal may reach a replica after the
 *       winner's own removal, or never, if the loser's node saw the winner removed before it
 *       registered the loser. So when the winner goes, the best contender takes the name: every
 *       replica ends up holding the best registration that is still alive, whatever the order in
 *       which registrations and removals arrived.</li>
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

        /** The name changed hands: {@code loser} held it and now waits behind {@code winner}. */
        record Replaced(Entry winner, Entry loser) implements Change {
        }

        /** A registration arrived and lost to the holder; it waits behind {@code winner}. */
        record Outranked(Entry winner, Entry loser) implements Change {
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
    /** Per name, the live registrations that lost to the holder, in no order (a handful at most). */
    private final Map<String, List<Entry>> contenders = new HashMap<>();
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
            if (remote.stamp() > current.stamp()) {
                // The same process registered again (after a removal): the later registration is
                // the one a later removal names.
                entries.put(remote.name(), restamped(current, remote));
            }
            return List.of();
        }
        List<Entry> waiting = contenders.get(remote.name());
        if (waiting != null) {
            for (int i = 0; i < waiting.size(); i++) {
                if (waiting.get(i).ref().equals(remote.ref())) {
                    if (remote.stamp() > waiting.get(i).stamp()) {
                        waiting.set(i, restamped(waiting.get(i), remote));
                    }
                    return List.of();
                }
            }
        }
        Entry win = winner(current, remote);
        if (win == current) {
            contenders.computeIfAbsent(remote.name(), n -> new ArrayList<>(2)).add(remote);
            return List.of(new Change.Outranked(current, remote));
        }
        entries.put(remote.name(), remote);
        contenders.computeIfAbsent(remote.name(), n -> new ArrayList<>(2)).add(current);
        return List.of(new Change.Replaced(remote, current));
    }

    /**
     * Removes a registration, if {@code ref} holds the name or waits behind its holder with a
     * stamp no later than {@code stamp} (if {@code ref} is empty: the holder, whichever process it
     * is), and leaves a tombstone for it.
     * If the holder goes, the best contender takes the name.
     *
     * @return {@link Change.Removed} if the holder went, then {@link Change.Added} if a contender
     *     took its place; nothing if only a contender went or nothing matched
     */
    List<Change> remove(String name, Optional<GenServerRef> ref, long stamp, long now) {
        ref.ifPresent(r -> tombstones.merge(new Tomb(name, r), new TombInfo(stamp, now), TombInfo::max));
        Entry current = entries.get(name);
        if (current == null || ref.isPresent() && (!current.ref().equals(ref.get()) || current.stamp() > stamp)) {
            // Another process holds it, or the same one registered again since: only a waiting
            // registration of that process, made no later than the removal, goes.
            ref.ifPresent(r -> dropContenders(name, e -> e.ref().equals(r) && e.stamp() <= stamp));
            return List.of();
        }
        entries.remove(name);
        tombstones.merge(new Tomb(name, current.ref()), new TombInfo(current.stamp(), now), TombInfo::max);
        List<Change> changes = new ArrayList<>(2);
        changes.add(new Change.Removed(current));
        promote(name).ifPresent(p -> changes.add(new Change.Added(p)));
        return changes;
    }

    /**
     * @param node a node that was lost
     * @param incarnation the incarnation of it that was lost
     * @return the removal of every name held by its processes accepted from that incarnation or an
     *     older one, each followed by the contender that took the name, if any
     */
    List<Change> dropNode(NodeId node, long incarnation) {
        Predicate<Entry> lost =
                e -> e.ref().nodeId().equals(node) && e.hostIncarnation() <= incarnation;
        for (String name : new ArrayList<>(contenders.keySet())) {
            dropContenders(name, lost);
        }
        List<Change> changes = new ArrayList<>();
        for (Entry e : new ArrayList<>(entries.values())) {
            if (lost.test(e)) {
                entries.remove(e.name());
                changes.add(new Change.Removed(e));
                promote(e.name()).ifPresent(p -> changes.add(new Change.Added(p)));
            }
        }
        return changes;
    }

    private static Entry restamped(Entry held, Entry later) {
        return new Entry(held.name(), held.ref(), later.stamp(), later.action(), held.hostIncarnation());
    }

    private void dropContenders(String name, Predicate<Entry> which) {
        List<Entry> waiting = contenders.get(name);
        if (waiting != null && waiting.removeIf(which) && waiting.isEmpty()) {
            contenders.remove(name);
        }
    }

    /** The best contender for a name left empty takes it. */
    private Optional<Entry> promote(String name) {
        List<Entry> waiting = contenders.get(name);
        if (waiting == null) {
            return Optional.empty();
        }
        Entry best = waiting.stream().min(ORDER).orElseThrow();
        dropContenders(name, e -> e == best);
        entries.put(name, best);
        return Optional.of(best);
    }

    /** Forgets tombstones made before {@code before} (their stale copies can no longer arrive). */
    void expireTombstones(long before) {
        tombstones.values().removeIf(t -> t.made() < before);
    }

    /** @return the removals remembered, as entries (name, process, the removed registration's stamp) */
    List<Entry> removals() {
        List<Entry> out = new ArrayList<>(tombstones.size());
        tombstones.forEach((t, i) -> out.add(new Entry(t.name(), t.ref(), i.stamp(), ConflictAction.EXIT)));
        return out;
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

    /** @return how many registrations wait behind a holder */
    int contenders() {
        return contenders.values().stream().mapToInt(List::size).sum();
    }
}
