package io.noex.distribution.registry;

import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.MonitorRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.NodeNotReachableException;
import io.noex.Registry;
import io.noex.ServerNotRunningException;
import io.noex.Subscription;
import io.noex.distribution.ConflictAction;
import io.noex.distribution.GlobalNameConflict;
import io.noex.distribution.GlobalNameConflictException;
import io.noex.distribution.GlobalRegistryEvent;
import io.noex.distribution.GlobalRegistryStats;
import io.noex.distribution.NodeDownReason;
import io.noex.distribution.cluster.ClusterRuntime;
import io.noex.distribution.cluster.Member;
import io.noex.distribution.cluster.MemberState;
import io.noex.distribution.cluster.SerialExecutor;
import io.noex.distribution.serialization.MessageType;
import io.noex.distribution.serialization.WireCodec;
import io.noex.distribution.transport.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide name registry of one node: a full replica of the table ({@link GlobalTable}),
 * kept in step with the other members.
 * <ul>
 *   <li>When a member comes up (a join, or the end of a partition), each side asks the other for
 *       its table ({@code REGISTRY_SYNC pull}); the answer is the full table
 *       ({@code REGISTRY_SYNC full}, in chunks), merged by the table's rules, so the two converge
 *       on the same winner for every name, then the removals it remembers
 *       ({@code REGISTRY_SYNC remove}), so a registration removed before the asker subscribed,
 *       of which a third node's table still carries a copy, does not live on there. A node
 *       that answered a pull subscribed the asker.</li>
 *   <li>A registration or removal made here is applied here, then sent to every subscriber
 *       ({@code REGISTRY_SYNC add/remove}), always after the snapshot it was sent.</li>
 *   <li>The node hosting a registered process monitors it; when it exits, that node removes
 *       the name and tells everyone. When a node is lost, every member drops the names of its
 *       processes that it accepted from that incarnation.</li>
 *   <li>The loser of a conflict is told by its own node, exactly once (an exit signal or a
 *       {@link GlobalNameConflict} message); that node then sends a removal of the lost
 *       registration, so every replica tombstones it against late copies. Until that removal
 *       arrives, every replica keeps the loser waiting behind the winner: if the winner goes
 *       first, the loser takes the name (its node may never have seen the winner at all).</li>
 * </ul>
 * <pre>
 *   REGISTRY_SYNC [op, entries]   op: pull (no entries) | full | add | remove
 *     entry: [name, ref, stamp, action]   (a removal carries the removed registration; its action is unused)
 * </pre>
 * Entries for processes on nodes that are not up here are ignored and counted: a stale table
 * cannot revive them.
 * The consistency model this implements is written in {@code docs/consistency.md}.
 *
 * <p>Over 400 lines: the API, the sync protocol, the watches on local processes and the rule for
 * accepting entries all work on the one table, confined to one executor; split, they would share
 * it across classes.
 *
 * <p>Threading: the table is confined to one serial executor; lookups read a concurrent view
 * and never block; {@link #register} and {@link #unregister} wait for the executor (briefly, no
 * network round trip). Listeners run on their own serial executor.
 */
public final class GlobalRegistryService {

    private static final Logger log = LoggerFactory.getLogger(GlobalRegistryService.class);
    private static final int FULL_SYNC_CHUNK = 5_000;

    private final ClusterRuntime runtime;
    private final Node node;
    private final long tombstoneRetentionNanos;
    private final SerialExecutor executor;
    private final SerialExecutor userEvents;
    private final GlobalTable table = new GlobalTable();
    private final ConcurrentHashMap<String, GenServerRef> view = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, MonitorRef> localMonitors = new ConcurrentHashMap<>();
    private final List<Consumer<GlobalRegistryEvent>> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder ignoredEntries = new LongAdder();
    /** The peers (and the incarnation) that asked for this table: every change goes to them. Executor only. */
    /**
     * The members that asked for this table, each with the connection it asked on: the snapshot
     * went there, so every later change goes there too, in order after it. Bound to the
     * connection, not to the member's life: a close of an older connection of the same life,
     * processed after the member asked again on a newer one, must not end the subscription
     * (found by the chaos suite: a frozen node's peers stopped hearing of its names).
     */
    private final Map<NodeId, Connection> subscribers = new HashMap<>();

    /**
     * @param runtime the node's cluster runtime (not started yet)
     * @param node the node
     * @param tombstoneRetention how long a removal is remembered against stale copies
     */
    public GlobalRegistryService(ClusterRuntime runtime, Node node, Duration tombstoneRetention) {
        this.runtime = runtime;
        this.node = node;
        this.tombstoneRetentionNanos = tombstoneRetention.toNanos();
        this.executor = new SerialExecutor("global registry of " + node.name());
        this.userEvents = new SerialExecutor("global registry events of " + node.name());
        runtime.onMessage(MessageType.REGISTRY_SYNC, this::onSync);
        runtime.addListener(new ClusterRuntime.MembershipListener() {
            @Override
            public void nodeUp(Member member) {
                executor.execute(() -> askForTable(member.id(), member.incarnation()));
            }

            @Override
            public void nodeDown(Member member, NodeDownReason reason) {
                executor.execute(() -> {
                    // Only a subscription whose connection is gone ends here; the member asks
                    // again when it sees this node up.
                    subscribers.computeIfPresent(member.id(), (id, c) -> c.isOpen() ? c : null);
                    dropNode(member.id(), member.incarnation());
                });
            }
        });
    }

    // ================================================================== API

    /**
     * @param name the name
     * @param ref a running process on this node or on a connected one
     * @param action what its process is told if it loses a conflict later
     * @throws GlobalNameConflictException if another process holds the name
     */
    public void register(String name, GenServerRef ref, ConflictAction action) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(action, "action");
        if (name.isEmpty() || name.length() > Registry.MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("global name must be 1 to " + Registry.MAX_NAME_LENGTH
                    + " characters, got '" + name + "'");
        }
        long hostIncarnation = 0;
        if (node.isLocal(ref.nodeId())) {
            if (!node.isRunning(ref)) {
                throw new ServerNotRunningException(ref);
            }
            ref = node.spi().canonical(ref);
        } else {
            Optional<Member> host = runtime.membership().member(ref.nodeId()).filter(m -> m.state() == MemberState.UP);
            if (host.isEmpty()) {
                throw new NodeNotReachableException(ref.nodeId(), "cannot register a process of a node that is not connected");
            }
            hostIncarnation = host.get().incarnation();
        }
        GenServerRef target = ref;
        long incarnation = hostIncarnation;
        onExecutor(() -> {
            GlobalTable.Entry e = table.register(name, target, action, incarnation);
            if (!e.ref().equals(target)) {
                throw new GlobalNameConflictException(name, e.ref());
            }
            if (view.put(name, target) == null) {
                watchIfLocal(e);
                broadcast("add", List.of(e));
                emit(new GlobalRegistryEvent.Registered(name, target));
            }
            return null;
        });
    }

    /**
     * @param name a name
     * @return true if it was registered (by any node's process) and is not any more
     */
    public boolean unregister(String name) {
        Objects.requireNonNull(name, "name");
        return onExecutor(() -> {
            List<GlobalTable.Change> changes = table.remove(name, Optional.empty(), 0, now());
            broadcastRemoval(changes);
            apply(changes);
            return !changes.isEmpty();
        });
    }

    /**
     * @param name a name
     * @return the process this node knows under it
     */
    public Optional<GenServerRef> whereis(String name) {
        return Optional.ofNullable(view.get(Objects.requireNonNull(name, "name")));
    }

    /** @return the names this node knows, sorted */
    public List<String> names() {
        return view.keySet().stream().sorted().toList();
    }

    /**
     * @param listener told of registrations, releases, conflicts and syncs
     * @return unsubscribes when closed
     */
    public Subscription onEvent(Consumer<GlobalRegistryEvent> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> listeners.remove(listener);
    }

    /** @return names in the table */
    public int size() {
        return view.size();
    }

    /**
     * The sizes of this replica's tables, read on its executor (so they agree with each other);
     * expired tombstones are dropped first.
     *
     * @return the counts
     */
    public GlobalRegistryStats stats() {
        return onExecutor(() -> {
            table.expireTombstones(now() - tombstoneRetentionNanos);
            return new GlobalRegistryStats(table.size(), table.tombstones(), localMonitors.size(), ignoredEntries.sum(),
                    table.contenders());
        });
    }

    // ================================================================== sync protocol

    private void onSync(Connection from, WireCodec.Decoded d) throws IOException {
        var in = d.in();
        String op = in.unpackString();
        int n = in.unpackArrayHeader();
        if (n > 1_000_000) {
            throw new IOException("registry sync of " + n + " entries");
        }
        List<GlobalTable.Entry> entries = new ArrayList<>(Math.min(n, FULL_SYNC_CHUNK));
        for (int i = 0; i < n; i++) {
            int fields = in.unpackArrayHeader();
            String name = in.unpackString();
            Object ref = d.values().read("entry");
            long stamp = in.unpackLong();
            ConflictAction action = fields > 3 ? ConflictAction.valueOf(in.unpackString()) : ConflictAction.EXIT;
            if (!(ref instanceof GenServerRef r)) {
                throw new IOException("registry entry without a ref");
            }
            entries.add(new GlobalTable.Entry(name, r, stamp, action));
        }
        NodeId peer = from.peer();
        long peerIncarnation = from.incarnation();
        executor.execute(() -> {
            switch (op) {
                case "pull" -> {
                    // From now on every change goes to the peer too, after this snapshot (both
                    // happen on this executor, so none falls between them).
                    subscribers.put(peer, from);
                    sendFullTable(from);
                }
                case "add", "full" -> {
                    for (GlobalTable.Entry e : entries) {
                        merge(e, peer, peerIncarnation);
                    }
                    if (op.equals("full")) {
                        emit(new GlobalRegistryEvent.Synced(peer, entries.size()));
                    }
                }
                case "remove" -> {
                    for (GlobalTable.Entry e : entries) {
                        apply(table.remove(e.name(), Optional.of(e.ref()), e.stamp(), now()));
                    }
                }
                default -> log.debug("unknown registry op '{}' from {}", op, peer);
            }
            table.expireTombstones(now() - tombstoneRetentionNanos);
        });
    }

    private void merge(GlobalTable.Entry received, NodeId sender, long senderIncarnation) {
        OptionalLong host = hostIncarnation(received.ref().nodeId(), sender, senderIncarnation);
        if (host.isEmpty()) {
            ignoredEntries.increment(); // its node is not up here: a stale copy
            return;
        }
        apply(table.merge(received.withHostIncarnation(host.getAsLong())));
    }

    /** Brings the view, the watches and the listeners in line with what the table did. */
    private void apply(List<GlobalTable.Change> changes) {
        for (GlobalTable.Change c : changes) {
            switch (c) {
                case GlobalTable.Change.Added a -> {
                    view.put(a.entry().name(), a.entry().ref());
                    watchIfLocal(a.entry());
                    emit(new GlobalRegistryEvent.Registered(a.entry().name(), a.entry().ref()));
                }
                case GlobalTable.Change.Replaced r -> {
                    view.put(r.winner().name(), r.winner().ref());
                    if (node.isLocal(r.loser().ref().nodeId())) {
                        lostHere(r.winner(), r.loser());
                    }
                    watchIfLocal(r.winner());
                    emit(new GlobalRegistryEvent.ConflictResolved(r.winner().name(), r.winner().ref(), r.loser().ref()));
                }
                case GlobalTable.Change.Outranked o -> {
                    if (node.isLocal(o.loser().ref().nodeId())) {
                        lostHere(o.winner(), o.loser());
                    }
                }
                case GlobalTable.Change.Removed x -> released(x.entry());
            }
        }
    }

    /**
     * A registration of a process on this node lost: tell the process, drop the registration and
     * tell every replica, where it waits behind the winner until this removal arrives. Every
     * replica tombstones it, so a copy still on its way (on a slower link) cannot bring it back.
     */
    private void lostHere(GlobalTable.Entry winner, GlobalTable.Entry loser) {
        if (!node.isLocal(winner.ref().nodeId())) {
            unwatch(loser.name()); // the watch under this name is the loser's (a local winner's is kept)
        }
        tellLoser(winner, loser);
        apply(table.remove(loser.name(), Optional.of(loser.ref()), loser.stamp(), now()));
        broadcast("remove", List.of(loser));
    }

    /** Tells every replica of a removal made here (a contender that took the name is theirs to promote). */
    private void broadcastRemoval(List<GlobalTable.Change> changes) {
        for (GlobalTable.Change c : changes) {
            if (c instanceof GlobalTable.Change.Removed x) {
                broadcast("remove", List.of(x.entry()));
            }
        }
    }

    private void dropNode(NodeId lost, long incarnation) {
        apply(table.dropNode(lost, incarnation));
    }

    /**
     * Asks a member that came up for its table. Asking (rather than each side pushing its table
     * when it sees the other up) makes the table arrive after this node has the member up, so
     * the member's own names are never refused for arriving before its up event.
     */
    private void askForTable(NodeId peer, long incarnation) {
        runtime.connection(peer).filter(c -> c.incarnation() == incarnation)
                .ifPresent(c -> c.sendAnswer(encode("pull", List.of())));
    }

    private void sendFullTable(Connection to) {
        List<GlobalTable.Entry> all = table.all();
        if (all.isEmpty()) {
            to.sendAnswer(encode("full", all));
        }
        for (int from = 0; from < all.size(); from += FULL_SYNC_CHUNK) {
            to.sendAnswer(encode("full", all.subList(from, Math.min(all.size(), from + FULL_SYNC_CHUNK))));
        }
        // And what was removed: a third node's table may still carry a registration that this
        // node saw removed before the asker subscribed (found by the chaos suite: a joiner kept
        // such a name for good).
        table.expireTombstones(now() - tombstoneRetentionNanos);
        List<GlobalTable.Entry> removed = table.removals();
        for (int from = 0; from < removed.size(); from += FULL_SYNC_CHUNK) {
            to.sendAnswer(encode("remove", removed.subList(from, Math.min(removed.size(), from + FULL_SYNC_CHUNK))));
        }
    }

    /** Sends a change to every peer that asked for this table (on this executor, after its snapshot). */
    private void broadcast(String op, List<GlobalTable.Entry> entries) {
        if (subscribers.isEmpty()) {
            return;
        }
        byte[] frame = encode(op, entries);
        subscribers.values().removeIf(c -> !c.isOpen());
        subscribers.values().forEach(c -> c.sendAnswer(frame));
    }

    private byte[] encode(String op, List<GlobalTable.Entry> entries) {
        return runtime.encode(MessageType.REGISTRY_SYNC, (out, v) -> {
            out.packString(op);
            out.packArrayHeader(entries.size());
            for (GlobalTable.Entry e : entries) {
                out.packArrayHeader(4);
                out.packString(e.name());
                v.write("entry", e.ref());
                out.packLong(e.stamp());
                out.packString(e.action().name());
            }
        });
    }

    // ================================================================== local processes

    /** The node hosting a registered process watches it, to release its name when it exits. */
    private void watchIfLocal(GlobalTable.Entry e) {
        if (!node.isLocal(e.ref().nodeId())) {
            return;
        }
        if (!node.isRunning(e.ref())) {
            localExit(e);
            return;
        }
        MonitorRef m = node.monitor(e.ref(), (ref, reason) -> executor.execute(() -> localExit(e)));
        MonitorRef previous = localMonitors.put(e.name(), m);
        if (previous != null) {
            node.demonitor(previous);
        }
    }

    private void localExit(GlobalTable.Entry e) {
        long stamp = table.get(e.name()).filter(x -> x.ref().equals(e.ref())).map(GlobalTable.Entry::stamp).orElse(e.stamp());
        List<GlobalTable.Change> changes = table.remove(e.name(), Optional.of(e.ref()), stamp, now());
        broadcastRemoval(changes);
        apply(changes);
    }

    private void unwatch(String name) {
        MonitorRef m = localMonitors.remove(name);
        if (m != null) {
            node.demonitor(m);
        }
    }

    /** Only the loser's own node tells it (so it is told once). */
    private void tellLoser(GlobalTable.Entry winner, GlobalTable.Entry loser) {
        log.info("global name '{}': {} wins the conflict against {}", winner.name(), winner.ref(), loser.ref());
        switch (loser.action()) {
            case EXIT -> node.exit(loser.ref(), ExitReason.error("lost the global name '" + loser.name()
                    + "' to " + winner.ref() + " (concurrent registration)"));
            case MESSAGE -> node.send(loser.ref(), new GlobalNameConflict(loser.name(), winner.ref()));
        }
    }

    private void released(GlobalTable.Entry e) {
        view.remove(e.name(), e.ref());
        if (node.isLocal(e.ref().nodeId())) {
            unwatch(e.name());
        }
        emit(new GlobalRegistryEvent.Unregistered(e.name(), e.ref()));
    }

    // ================================================================== helpers

    /**
     * Whether a received entry for a process on {@code host} may be kept, and under which
     * incarnation of {@code host}.
     * <ul>
     *   <li>A process on this node: always (its name is checked against the process itself).</li>
     *   <li>A process on the sender: if that life of the sender is up here. Its table and its
     *       changes come after this node asked for them, so after its up event; later, once it is
     *       reported down, what still arrives from it is stale (it is asked again if it comes
     *       back).</li>
     *   <li>A process on a third node: only if that node is up here; otherwise the entry is a
     *       stale copy (the third node sends its own names when it connects).</li>
     * </ul>
     */
    private OptionalLong hostIncarnation(NodeId host, NodeId sender, long senderIncarnation) {
        if (node.isLocal(host)) {
            return OptionalLong.of(0);
        }
        Optional<Member> up = runtime.membership().member(host).filter(m -> m.state() == MemberState.UP);
        if (host.equals(sender) && up.isPresent() && up.get().incarnation() != senderIncarnation) {
            return OptionalLong.empty(); // another life of the sender than the one up here
        }
        return up.map(m -> OptionalLong.of(m.incarnation())).orElse(OptionalLong.empty());
    }

    private long now() {
        return node.spi().scheduler().nanoTime();
    }

    private void emit(GlobalRegistryEvent event) {
        if (listeners.isEmpty()) {
            return;
        }
        userEvents.execute(() -> {
            for (Consumer<GlobalRegistryEvent> l : listeners) {
                try {
                    l.accept(event);
                } catch (Throwable t) {
                    log.warn("a GlobalRegistry listener threw; ignored", t);
                }
            }
        });
    }

    private <T> T onExecutor(Callable<T> task) {
        CompletableFuture<T> done = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                done.complete(task.call());
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            return done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
