package io.noex.distribution.monitor;

import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.MonitorRef;
import io.noex.NodeId;
import io.noex.distribution.NodeDownReason;
import io.noex.distribution.RemoteSignalStats;
import io.noex.distribution.cluster.ClusterRuntime;
import io.noex.distribution.cluster.Member;
import io.noex.distribution.cluster.MemberState;
import io.noex.distribution.remote.RemoteSignals;
import io.noex.distribution.serialization.MessageType;
import io.noex.distribution.serialization.WireCodec;
import io.noex.distribution.transport.Connection;
import io.noex.spi.DownListener;
import io.noex.spi.LocalNode;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Monitors and links between processes on different nodes, with Erlang's semantics: a monitor
 * fires exactly once (the real reason, {@code noproc} if the target did not exist, or
 * {@code noconnection} when its node is lost); a link delivers the other side's exit, or
 * {@code noconnection}, exactly once.
 * <pre>
 *   MONITOR_REQUEST [monitor id, target id or name]     watcher -&gt; target's node
 *   MONITOR_ACK     [monitor id, established]           target's node -&gt; watcher
 *   DEMONITOR       [monitor id]                        watcher -&gt; target's node
 *   PROCESS_DOWN    [monitor id, reason]                target's node -&gt; watcher
 *   LINK_REQUEST    [from ref, to id or name]
 *   LINK_ACK        [from ref, to id or name, established]
 *   UNLINK          [from ref, to id or name]
 *   EXIT_SIGNAL     [from ref, to id, reason]
 * </pre>
 * Each side keeps what it owes: the watcher its monitors by id; the target's node the watches
 * other nodes hold, by (watcher node, monitor id), with the local monitor it stands for; both
 * sides their cross-node links. A node's loss settles everything involving it (monitors fire
 * {@code noconnection}, links deliver {@code noconnection}, watches it held are removed), so no
 * table keeps entries for a node that is gone. Signals for monitors or links a peer does not own
 * are ignored and counted. Races settled here: a target that exits while another node's monitor
 * on it is being set up (the entry exists before the local monitor, so the exit finds it and
 * reports once); a node declared lost between the lookup of its connection and the recording of a
 * monitor or link (checked again after recording).
 *
 * <p>Threading: thread-safe; handlers run on event loops and never block.
 */
public final class RemoteSignalsService implements RemoteSignals {

    /** A monitor this node holds on a remote process. */
    private record Watch(NodeId node, long incarnation, GenServerRef target, DownListener listener) {
    }

    /** A watch another node holds on a local process. */
    private record WatchKey(NodeId watcherNode, long monitorId) {
    }

    /** @param local the local monitor standing for it; empty while it is being set up */
    private record Watched(GenServerRef target, Optional<MonitorRef> local) {
    }

    /** A cross-node link, from this node's side. */
    private record LinkKey(GenServerRef local, GenServerRef remote) {
    }

    /** @param localAsKnownRemotely how the remote side named the local process (its link set holds that) */
    private record LinkInfo(long incarnation, GenServerRef localAsKnownRemotely) {
    }

    private final ClusterRuntime runtime;
    private final LocalNode node;
    private final ConcurrentHashMap<Long, Watch> watches = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<WatchKey, Watched> watched = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<LinkKey, LinkInfo> links = new ConcurrentHashMap<>();
    private final LongAdder ignoredSignals = new LongAdder();

    /** @param runtime the node's cluster runtime (handlers are registered on it) */
    public RemoteSignalsService(ClusterRuntime runtime) {
        this.runtime = runtime;
        this.node = runtime.node();
        runtime.onMessage(MessageType.MONITOR_REQUEST, this::onMonitorRequest);
        runtime.onMessage(MessageType.MONITOR_ACK, (c, d) -> { });
        runtime.onMessage(MessageType.DEMONITOR, this::onDemonitor);
        runtime.onMessage(MessageType.PROCESS_DOWN, this::onProcessDown);
        runtime.onMessage(MessageType.LINK_REQUEST, this::onLinkRequest);
        runtime.onMessage(MessageType.LINK_ACK, (c, d) -> { });
        runtime.onMessage(MessageType.UNLINK, this::onUnlink);
        runtime.onMessage(MessageType.EXIT_SIGNAL, this::onExitSignal);
        runtime.addListener(new ClusterRuntime.MembershipListener() {
            @Override
            public void nodeUp(Member member) {
            }

            @Override
            public void nodeDown(Member member, NodeDownReason reason) {
                nodeLost(member.id(), member.incarnation());
            }
        });
    }

    // ================================================================== monitors, watcher side

    @Override
    public void monitor(MonitorRef monitor, GenServerRef target, DownListener listener) {
        Optional<Connection> c = runtime.connection(target.nodeId());
        if (c.isEmpty()) {
            listener.down(monitor, target, ExitReason.noconnection());
            return;
        }
        long incarnation = c.get().incarnation();
        watches.put(monitor.id(), new Watch(target.nodeId(), incarnation, target, listener));
        boolean sent = c.get().sendAnswer(runtime.encode(MessageType.MONITOR_REQUEST, (out, v) -> {
            out.packLong(monitor.id());
            out.packString(target.id());
        }));
        // The node may have been declared lost (a heartbeat timeout leaves the connection open a
        // moment) after nodeLost looked at the table and before the watch was in it: nobody
        // would fire it then, so check again now that it is there.
        if (!sent || declaredLost(target.nodeId(), incarnation)) {
            fire(monitor.id(), ExitReason.noconnection());
        }
    }

    /** @return true if this incarnation of {@code id} was reported down (its connection may linger) */
    private boolean declaredLost(NodeId id, long incarnation) {
        return runtime.membership().member(id)
                .map(m -> m.state() == MemberState.DOWN && m.incarnation() == incarnation)
                .orElse(false);
    }

    @Override
    public void demonitor(MonitorRef monitor, GenServerRef target) {
        Watch w = watches.remove(monitor.id());
        if (w != null) {
            runtime.connection(w.node()).ifPresent(c -> c.sendAnswer(runtime.encode(MessageType.DEMONITOR,
                    (out, v) -> out.packLong(monitor.id()))));
        }
    }

    private void onProcessDown(Connection from, WireCodec.Decoded d) throws IOException {
        long id = d.in().unpackLong();
        Object reason = d.values().read("reason");
        Watch w = watches.get(id);
        if (w == null || !w.node().equals(from.peer()) || !(reason instanceof ExitReason r)) {
            ignoredSignals.increment(); // not a monitor this node holds on that node's processes
            return;
        }
        fire(id, r);
    }

    private void fire(long id, ExitReason reason) {
        Watch w = watches.remove(id);
        if (w != null) {
            w.listener().down(new MonitorRef(id), w.target(), reason);
        }
    }

    // ================================================================== monitors, target side

    private void onMonitorRequest(Connection from, WireCodec.Decoded d) throws IOException {
        long id = d.in().unpackLong();
        GenServerRef target = new GenServerRef(d.in().unpackString(), node.nodeId());
        WatchKey key = new WatchKey(from.peer(), id);
        // The entry goes in before the local monitor exists: a target that exits while this is
        // set up finds it and reports (exactly once, whoever removes the entry first reports).
        Watched pending = new Watched(target, Optional.empty());
        if (watched.putIfAbsent(key, pending) != null) {
            ignoredSignals.increment(); // the peer reused a monitor id it still holds
            return;
        }
        Optional<MonitorRef> local = node.watch(target, (m, t, reason) -> {
            if (watched.remove(key) != null) {
                sendDown(from, id, reason);
            }
        });
        if (local.isEmpty()) {
            if (watched.remove(key, pending)) {
                sendDown(from, id, ExitReason.noproc());
            }
            return;
        }
        if (!watched.replace(key, pending, new Watched(target, local))) {
            // Fired already (the target exited), or the watcher's node was lost meanwhile.
            node.unwatch(target, local.get());
            return;
        }
        if (!from.isOpen()) {
            unwatch(key); // the watcher's node was lost while this was set up: nobody to tell
        }
    }

    private void sendDown(Connection to, long id, ExitReason reason) {
        to.sendAnswer(runtime.encode(MessageType.PROCESS_DOWN, (out, v) -> {
            out.packLong(id);
            v.write("reason", reason);
        }));
    }

    private void onDemonitor(Connection from, WireCodec.Decoded d) throws IOException {
        if (!unwatch(new WatchKey(from.peer(), d.in().unpackLong()))) {
            ignoredSignals.increment();
        }
    }

    private boolean unwatch(WatchKey key) {
        Watched w = watched.remove(key);
        if (w == null) {
            return false;
        }
        w.local().ifPresent(m -> node.unwatch(w.target(), m));
        return true;
    }

    // ================================================================== links

    @Override
    public void link(GenServerRef local, GenServerRef remote) {
        Optional<Connection> c = runtime.connection(remote.nodeId());
        if (c.isEmpty()) {
            node.exitSignal(remote, local, ExitReason.noconnection());
            return;
        }
        LinkKey key = new LinkKey(node.canonical(local), remote);
        LinkInfo info = new LinkInfo(c.get().incarnation(), local);
        links.put(key, info);
        boolean sent = c.get().sendAnswer(runtime.encode(MessageType.LINK_REQUEST, (out, v) -> {
            v.write("from", local);
            out.packString(remote.id());
        }));
        // As for monitors: the node may have been declared lost before the link was recorded.
        if ((!sent || declaredLost(remote.nodeId(), info.incarnation())) && links.remove(key, info)) {
            node.exitSignal(remote, local, ExitReason.noconnection());
        }
    }

    @Override
    public void unlink(GenServerRef local, GenServerRef remote) {
        if (links.remove(new LinkKey(node.canonical(local), remote)) != null) {
            runtime.connection(remote.nodeId()).ifPresent(c -> c.sendAnswer(runtime.encode(MessageType.UNLINK, (out, v) -> {
                v.write("from", local);
                out.packString(remote.id());
            })));
        }
    }

    @Override
    public void exitSignal(GenServerRef from, GenServerRef to, ExitReason reason) {
        LinkInfo info = links.remove(new LinkKey(node.canonical(from), to));
        if (info == null) {
            return; // the link was settled already (unlinked, or its node was lost)
        }
        runtime.connection(to.nodeId()).ifPresent(c -> c.sendAnswer(runtime.encode(MessageType.EXIT_SIGNAL, (out, v) -> {
            v.write("from", info.localAsKnownRemotely());
            out.packString(to.id());
            v.write("reason", reason);
        })));
    }

    private void onLinkRequest(Connection from, WireCodec.Decoded d) throws IOException {
        Object remote = d.values().read("from");
        GenServerRef asNamed = new GenServerRef(d.in().unpackString(), node.nodeId());
        if (!(remote instanceof GenServerRef remoteRef) || !remoteRef.nodeId().equals(from.peer())) {
            ignoredSignals.increment(); // a node may only link its own processes
            return;
        }
        Optional<GenServerRef> local = node.linkRemote(asNamed, remoteRef);
        if (local.isEmpty()) {
            from.sendAnswer(runtime.encode(MessageType.EXIT_SIGNAL, (out, v) -> {
                v.write("from", asNamed);
                out.packString(remoteRef.id());
                v.write("reason", ExitReason.noproc());
            }));
            return;
        }
        links.put(new LinkKey(node.canonical(local.get()), remoteRef), new LinkInfo(from.incarnation(), asNamed));
        from.sendAnswer(runtime.encode(MessageType.LINK_ACK, (out, v) -> {
            v.write("from", remoteRef);
            out.packString(asNamed.id());
            out.packBoolean(true);
        }));
    }

    private void onUnlink(Connection from, WireCodec.Decoded d) throws IOException {
        Object remote = d.values().read("from");
        GenServerRef local = new GenServerRef(d.in().unpackString(), node.nodeId());
        if (!(remote instanceof GenServerRef remoteRef) || !remoteRef.nodeId().equals(from.peer())) {
            ignoredSignals.increment();
            return;
        }
        if (links.keySet().removeIf(k -> k.remote().equals(remoteRef) && matches(k.local(), local))) {
            node.unlinkRemote(local, remoteRef);
        } else {
            ignoredSignals.increment(); // no such link (already settled by an exit, say)
        }
    }

    private void onExitSignal(Connection from, WireCodec.Decoded d) throws IOException {
        Object remote = d.values().read("from");
        GenServerRef local = new GenServerRef(d.in().unpackString(), node.nodeId());
        Object reason = d.values().read("reason");
        if (!(remote instanceof GenServerRef remoteRef) || !remoteRef.nodeId().equals(from.peer())
                || !(reason instanceof ExitReason r)) {
            ignoredSignals.increment(); // a node may only send the exits of its own processes
            return;
        }
        boolean known = links.keySet().removeIf(k -> k.remote().equals(remoteRef) && matches(k.local(), local));
        if (!known) {
            // Not a link this node holds with that process (never made, unlinked, or settled):
            // delivering it would let any peer kill any local process.
            ignoredSignals.increment();
            return;
        }
        node.exitSignal(remoteRef, local, r);
    }

    private boolean matches(GenServerRef canonicalLocal, GenServerRef local) {
        return canonicalLocal.id().equals(local.id()) || node.canonical(local).equals(canonicalLocal);
    }

    // ================================================================== node loss

    private void nodeLost(NodeId lost, long incarnation) {
        for (Map.Entry<Long, Watch> e : watches.entrySet()) {
            if (e.getValue().node().equals(lost) && e.getValue().incarnation() == incarnation) {
                fire(e.getKey(), ExitReason.noconnection());
            }
        }
        for (WatchKey k : watched.keySet()) {
            if (k.watcherNode().equals(lost)) {
                unwatch(k);
            }
        }
        for (Map.Entry<LinkKey, LinkInfo> e : links.entrySet()) {
            LinkKey k = e.getKey();
            if (k.remote().nodeId().equals(lost) && e.getValue().incarnation() == incarnation && links.remove(k, e.getValue())) {
                node.exitSignal(k.remote(), k.local(), ExitReason.noconnection());
            }
        }
    }

    // ================================================================== introspection

    /** @return monitors this node holds on remote processes */
    public int watchesHeld() {
        return watches.size();
    }

    /** @return monitors other nodes hold on local processes */
    public int watchesServed() {
        return watched.size();
    }

    /** @return cross-node links involving a local process */
    public int links() {
        return links.size();
    }

    /** @return monitor and link signals from peers that did not own them (ignored) */
    public long ignoredSignals() {
        return ignoredSignals.sum();
    }

    /** @return the table sizes and the ignored-signal count, together */
    public RemoteSignalStats stats() {
        return new RemoteSignalStats(watches.size(), watched.size(), links.size(), ignoredSignals.sum());
    }
}
