package io.noex.distribution.cluster;

import io.noex.NodeId;
import io.noex.distribution.NodeDownReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This node's view of the cluster: an immutable map of members, and the rules by which it
 * changes. Pure: every input (connections, heartbeats, gossip, ticks) is a method that returns the
 * next view and the events it implies; nothing here touches the network or reads a clock, so the
 * rules are tested by feeding numbers.
 *
 * <h2>Transitions</h2>
 * <pre>
 *  state     input                               next state        events
 *  -------   ---------------------------------   ---------------   -------------------------------
 *  absent    seed                                JOINING (seed)    Dial
 *  absent    gossip (id, inc)                    JOINING inc       Dial
 *  absent    connected inc                       UP inc            Up
 *  JOINING   connected inc (&gt;= known)           UP inc            Up
 *  JOINING   gossip inc' &gt; inc                   JOINING inc'      -
 *  JOINING   tick, older than retention, !seed   absent            Forget, Down(CONNECTION_REFUSED)*
 *  UP        heartbeat inc                       UP (refreshed)    -
 *  UP        connected inc' &gt; inc                UP inc'           Down(old, CONNECTION_CLOSED), Up
 *  UP        disconnected inc                    DOWN              Down(CONNECTION_CLOSED)
 *  UP        tick, no heartbeat for timeout      DOWN              Down(HEARTBEAT_TIMEOUT), Disconnect
 *  UP        graceful shutdown inc               DOWN              Down(GRACEFUL_SHUTDOWN), Forget**
 *  DOWN      connected inc' &gt;= inc              UP inc'           Up
 *  DOWN      gossip inc' &gt; inc                   JOINING inc'      Dial
 *  DOWN      tick, older than retention, !seed   absent            Forget
 *  any       input about an older incarnation    unchanged         (Disconnect for a connection)
 * </pre>
 * (*) only for a node that gossip announced, never for a seed or a node that was up.
 * (**) a seed is kept dialed.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Only this node's own observation puts a member UP (a handshaken connection) or DOWN (its
 *       connection or its heartbeats failing, or its own shutdown message). Gossip only introduces
 *       nodes and newer incarnations: stale gossip can neither resurrect nor kill a member.</li>
 *   <li>A member's incarnation never decreases.</li>
 *   <li>Every Up is followed by at most one Down for the same incarnation.</li>
 *   <li>This node is never a member of its own view.</li>
 * </ul>
 *
 * <p>Threading: immutable; thread-safe.
 */
public final class Membership {

    /** The view and what it implies. */
    public record Transition(Membership next, List<MembershipEvent> events) {
    }

    private final NodeId self;
    private final Map<NodeId, Member> members;

    private Membership(NodeId self, Map<NodeId, Member> members) {
        this.self = self;
        this.members = members;
    }

    /**
     * @param self this node
     * @return an empty view
     */
    public static Membership empty(NodeId self) {
        return new Membership(self, Map.of());
    }

    /** @return this node */
    public NodeId self() {
        return self;
    }

    /** @return the members, in the order they became known */
    public Collection<Member> members() {
        return members.values();
    }

    /**
     * @param id a node
     * @return its member entry, if known
     */
    public Optional<Member> member(NodeId id) {
        return Optional.ofNullable(members.get(id));
    }

    /** @return the members that are up */
    public List<Member> up() {
        List<Member> out = new ArrayList<>();
        for (Member m : members.values()) {
            if (m.state() == MemberState.UP) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * @param selfIncarnation this node's incarnation
     * @return the gossip digest: this node and every member that is up
     */
    public List<GossipEntry> digest(long selfIncarnation) {
        List<GossipEntry> out = new ArrayList<>();
        out.add(new GossipEntry(self, selfIncarnation));
        for (Member m : up()) {
            out.add(new GossipEntry(m.id(), m.incarnation()));
        }
        return out;
    }

    // ================================================================== inputs

    /** A configured seed: dial it, for ever. */
    public Transition seed(NodeId id, long now) {
        if (id.equals(self)) {
            return unchanged();
        }
        Member m = members.get(id);
        if (m == null) {
            return with(Member.joining(id, 0, true, now), new MembershipEvent.Dial(id));
        }
        return with(m.asSeed());
    }

    /** A handshaken connection to {@code id} in incarnation {@code inc}. */
    public Transition connected(NodeId id, long inc, long now) {
        if (id.equals(self)) {
            return unchanged();
        }
        Member m = members.get(id);
        if (m == null) {
            Member up = Member.joining(id, inc, false, now).up(inc, now);
            return with(up, new MembershipEvent.Up(up), new MembershipEvent.Dial(id));
        }
        if (inc < m.incarnation()) {
            return new Transition(this, List.of(new MembershipEvent.Disconnect(id, inc)));
        }
        Member up = m.up(inc, now);
        return switch (m.state()) {
            case JOINING, DOWN -> with(up, new MembershipEvent.Up(up), new MembershipEvent.Dial(id));
            case UP -> inc == m.incarnation()
                    ? unchanged()
                    : with(up, new MembershipEvent.Down(m, NodeDownReason.CONNECTION_CLOSED), new MembershipEvent.Up(up));
        };
    }

    /** The connection to incarnation {@code inc} of {@code id} closed. */
    public Transition disconnected(NodeId id, long inc, long now) {
        Member m = members.get(id);
        if (m == null || m.state() != MemberState.UP || m.incarnation() != inc) {
            return unchanged();
        }
        return with(m.withState(MemberState.DOWN, now), new MembershipEvent.Down(m, NodeDownReason.CONNECTION_CLOSED));
    }

    /** A heartbeat from incarnation {@code inc} of {@code id}. */
    public Transition heartbeat(NodeId id, long inc, int processCount, long uptimeMillis, long now, Instant wall) {
        Member m = members.get(id);
        if (m == null || m.state() != MemberState.UP || m.incarnation() != inc) {
            return unchanged();
        }
        return with(m.heartbeat(processCount, uptimeMillis, now, wall));
    }

    /**
     * Traffic from incarnation {@code inc} of {@code id} arrived at {@code at}: as good as a
     * heartbeat for the failure detector (a peer busy sending is alive, even if its heartbeat
     * waits behind its other frames).
     */
    public Transition alive(NodeId id, long inc, long at) {
        Member m = members.get(id);
        if (m == null || m.state() != MemberState.UP || m.incarnation() != inc || at <= m.lastHeartbeatNanos()) {
            return unchanged();
        }
        return with(new Member(m.id(), m.incarnation(), m.state(), m.seed(), m.sinceNanos(), at, m.lastHeartbeatAt(),
                m.processCount(), m.uptimeMillis()));
    }

    /** Incarnation {@code inc} of {@code id} announced its own orderly shutdown. */
    public Transition gracefulShutdown(NodeId id, long inc, long now) {
        Member m = members.get(id);
        if (m == null || m.incarnation() != inc || m.state() == MemberState.JOINING) {
            return unchanged();
        }
        List<MembershipEvent> events = new ArrayList<>();
        if (m.state() == MemberState.UP) {
            events.add(new MembershipEvent.Down(m, NodeDownReason.GRACEFUL_SHUTDOWN));
        }
        if (!m.seed()) {
            events.add(new MembershipEvent.Forget(id));
        }
        return with(m.withState(MemberState.DOWN, now), events.toArray(MembershipEvent[]::new));
    }

    /** A gossip digest from a peer. */
    public Transition gossip(List<GossipEntry> entries, long now) {
        Map<NodeId, Member> next = null;
        List<MembershipEvent> events = new ArrayList<>();
        for (GossipEntry e : entries) {
            if (e.id().equals(self)) {
                continue;
            }
            Map<NodeId, Member> current = next != null ? next : members;
            Member m = current.get(e.id());
            Member updated = null;
            if (m == null) {
                updated = Member.joining(e.id(), e.incarnation(), false, now);
                events.add(new MembershipEvent.Dial(e.id()));
            } else if (e.incarnation() > m.incarnation()) {
                switch (m.state()) {
                    case JOINING -> updated = m.joiningAgain(e.incarnation(), m.sinceNanos());
                    case DOWN -> {
                        updated = m.joiningAgain(e.incarnation(), now);
                        events.add(new MembershipEvent.Dial(e.id()));
                    }
                    case UP -> {
                        // A newer life of a node we are connected to: our connection belongs to the
                        // old one and its close or the new connection will tell us; nothing here.
                    }
                }
            }
            if (updated != null) {
                if (next == null) {
                    next = new LinkedHashMap<>(members);
                }
                next.put(e.id(), updated);
            }
        }
        return next == null ? unchanged() : new Transition(new Membership(self, Collections.unmodifiableMap(next)), events);
    }

    /**
     * Time passes: members silent for longer than {@code heartbeatTimeoutNanos} go down; members
     * down or joining for longer than {@code retentionNanos} are forgotten (seeds excepted).
     */
    public Transition tick(long now, long heartbeatTimeoutNanos, long retentionNanos) {
        Map<NodeId, Member> next = null;
        List<MembershipEvent> events = new ArrayList<>();
        for (Member m : members.values()) {
            Member replacement = m;
            switch (m.state()) {
                case UP -> {
                    if (now - m.lastHeartbeatNanos() > heartbeatTimeoutNanos) {
                        replacement = m.withState(MemberState.DOWN, now);
                        events.add(new MembershipEvent.Down(m, NodeDownReason.HEARTBEAT_TIMEOUT));
                        events.add(new MembershipEvent.Disconnect(m.id(), m.incarnation()));
                    }
                }
                case JOINING, DOWN -> {
                    if (!m.seed() && now - m.sinceNanos() > retentionNanos) {
                        replacement = null;
                        events.add(new MembershipEvent.Forget(m.id()));
                        if (m.state() == MemberState.JOINING) {
                            events.add(new MembershipEvent.Down(m, NodeDownReason.CONNECTION_REFUSED));
                        }
                    }
                }
            }
            if (replacement != m) {
                if (next == null) {
                    next = new LinkedHashMap<>(members);
                }
                if (replacement == null) {
                    next.remove(m.id());
                } else {
                    next.put(m.id(), replacement);
                }
            }
        }
        return next == null ? unchanged() : new Transition(new Membership(self, Collections.unmodifiableMap(next)), events);
    }

    /**
     * This node is leaving the cluster: every member that is up is down to it now.
     *
     * @param now the time
     * @return an empty view, with a Down(CONNECTION_CLOSED) for each member that was up
     */
    public Transition leave(long now) {
        List<MembershipEvent> events = new ArrayList<>();
        for (Member m : up()) {
            events.add(new MembershipEvent.Down(m, NodeDownReason.CONNECTION_CLOSED));
        }
        return new Transition(empty(self), events);
    }

    // ================================================================== helpers

    private Transition unchanged() {
        return new Transition(this, List.of());
    }

    private Transition with(Member m, MembershipEvent... events) {
        Map<NodeId, Member> next = new LinkedHashMap<>(members);
        next.put(m.id(), m);
        return new Transition(new Membership(self, Collections.unmodifiableMap(next)), List.of(events));
    }
}
