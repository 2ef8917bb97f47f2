package io.noex.testkit.chaos;

import io.noex.CallResult;
import io.noex.Down;
import io.noex.Exit;
import io.noex.ExitReason;
import io.noex.GenServer;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.MonitorRef;
import io.noex.Node;
import io.noex.distribution.ClusterMembership;
import io.noex.testkit.chaos.ChaosMessages.Holdings;
import io.noex.testkit.chaos.ChaosMessages.Resolved;
import io.noex.testkit.chaos.ChaosMessages.Tick;
import io.noex.testkit.chaos.ChaosMessages.Watch;
import io.noex.testkit.chaos.ChaosMessages.WhoAreYou;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Monitors and links (trapping exits) the {@link TargetServer} of every other node, and checks
 * that monitors and links fire exactly once per failure:
 * <ul>
 *   <li>each monitor gets at most one {@link Down}, and each link at most one {@link Exit} (a
 *       second one, or one for a monitor or link this watcher does not hold, is a violation);</li>
 *   <li>the reason is one the suite can cause: {@code noconnection} (the target's node was lost
 *       or cut off), {@code noproc} (the target was gone when the monitor or link arrived), or the
 *       error the script stopped the target with; anything else is a violation;</li>
 *   <li>at least once, and re-established: checked by the test from outside ({@link Holdings}):
 *       once a node is seen down, no monitor or link on its target may remain, and after the
 *       cluster heals every watcher holds a monitor and a link on each node's current target.</li>
 * </ul>
 * Every {@value #TICK_MILLIS} ms, for each peer connected now that it holds no monitor or no link
 * on, it asks the peer's target who it is (asynchronously) and then monitors and links that
 * process. A monitor or link is set again only after its Down or Exit came.
 *
 * <p>Threading: a process; one message at a time.
 */
final class SignalWatcher implements GenServerBehavior<SignalWatcher.State> {

    static final String NAME = "chaos-watcher";
    static final long TICK_MILLIS = 250;
    static final String KILL_REASON = "chaos: target stopped by the script";
    private static final int FIRED_KEPT = 50_000;

    private final String self;
    private final ChaosLedger ledger;

    SignalWatcher(String self, ChaosLedger ledger) {
        this.self = self;
        this.ledger = ledger;
    }

    /** What this watcher holds on one peer's target. */
    static final class PeerWatch {
        final GenServerRef named;
        GenServerRef monitored;
        MonitorRef monitor;
        GenServerRef linked;
        boolean resolving;

        PeerWatch(GenServerRef named) {
            this.named = named;
        }
    }

    /** The watcher's state: its peers, and the monitors that already fired. */
    static final class State {
        final Map<String, PeerWatch> peers = new LinkedHashMap<>();
        final LinkedHashSet<Long> fired = new LinkedHashSet<>();
    }

    @Override
    public State init(List<Object> args) {
        GenServer.sendAfter(GenServer.self(), new Tick(), Duration.ofMillis(TICK_MILLIS));
        return new State();
    }

    @Override
    public CallResult<State> handleCall(Object msg, State s) {
        if (!(msg instanceof Holdings)) {
            throw new IllegalArgumentException("the watcher answers Holdings only, not " + msg);
        }
        Map<String, String> out = new TreeMap<>();
        s.peers.forEach((name, p) -> out.put(name, "monitor=" + (p.monitored == null ? "-" : p.monitored.id())
                + ",link=" + (p.linked == null ? "-" : p.linked.id())));
        return CallResult.reply(out, s);
    }

    @Override
    public State handleCast(Object msg, State s) {
        if (msg instanceof Watch w) {
            for (GenServerRef target : w.peers()) {
                s.peers.putIfAbsent(target.nodeId().name(), new PeerWatch(target));
            }
        }
        return s;
    }

    @Override
    public State handleInfo(Object msg, State s) {
        switch (msg) {
            case Tick t -> tick(s);
            case Resolved r -> resolved(s, r);
            case Down d -> down(s, d);
            case Exit x -> exit(s, x);
            default -> ledger.violation("misdelivered", "the watcher received " + msg);
        }
        return s;
    }

    private void tick(State s) {
        Node node = Node.current();
        GenServerRef me = GenServer.self();
        ClusterMembership membership = ClusterMembership.of(node);
        for (Map.Entry<String, PeerWatch> e : s.peers.entrySet()) {
            PeerWatch p = e.getValue();
            if ((p.monitor == null || p.linked == null) && !p.resolving && membership.isNodeConnected(p.named.nodeId())) {
                p.resolving = true;
                String peer = e.getKey();
                node.callAsync(p.named, new ChaosMessages.WhoAreYou(self), Duration.ofSeconds(1)).whenComplete((r, x) ->
                        node.send(me, new Resolved(peer, r instanceof GenServerRef g ? Optional.of(g) : Optional.empty())));
            }
        }
        GenServer.sendAfter(me, new Tick(), Duration.ofMillis(TICK_MILLIS));
    }

    private void resolved(State s, Resolved r) {
        PeerWatch p = s.peers.get(r.peerName());
        p.resolving = false;
        if (r.target().isEmpty()) {
            return; // not reachable, or its target is restarting: the next tick tries again
        }
        GenServerRef target = r.target().get();
        Node node = Node.current();
        if (p.monitor == null) {
            p.monitor = node.monitor(GenServer.self(), target);
            p.monitored = target;
            ledger.count("monitors.set");
        }
        if (p.linked == null) {
            p.linked = target;
            node.link(GenServer.self(), target);
            ledger.count("links.set");
        }
    }

    private void down(State s, Down d) {
        long id = d.monitorRef().id();
        PeerWatch holder = null;
        for (PeerWatch p : s.peers.values()) {
            if (d.monitorRef().equals(p.monitor)) {
                holder = p;
                break;
            }
        }
        if (holder == null) {
            ledger.violation("monitor-duplicate", (s.fired.contains(id) ? "a second Down" : "a Down for a monitor it never set")
                    + " for monitor #" + id + " on " + d.ref() + ", reason " + d.reason());
        } else {
            holder.monitor = null;
            holder.monitored = null;
            ledger.count("monitors.down." + reasonName(d.reason()));
            checkReason("monitor-reason", "Down of monitor #" + id + " on " + d.ref(), d.reason());
        }
        s.fired.add(id);
        if (s.fired.size() > FIRED_KEPT) {
            Iterator<Long> it = s.fired.iterator();
            it.next();
            it.remove();
        }
    }

    private void exit(State s, Exit x) {
        PeerWatch p = s.peers.get(x.from().nodeId().name());
        if (p == null || !x.from().equals(p.linked)) {
            ledger.violation("link-duplicate", "an Exit from " + x.from() + " (reason " + x.reason()
                    + ") with no link to it outstanding (a second Exit for one link?); outstanding: "
                    + (p == null ? "no such peer" : p.linked));
            return;
        }
        p.linked = null;
        ledger.count("links.exit." + reasonName(x.reason()));
        checkReason("link-reason", "Exit from " + x.from(), x.reason());
    }

    private void checkReason(String kind, String what, ExitReason reason) {
        boolean expected = switch (reason) {
            case ExitReason.Noconnection n -> true;
            case ExitReason.Noproc n -> true;
            case ExitReason.Error e -> KILL_REASON.equals(e.message());
            default -> false;
        };
        if (!expected) {
            ledger.violation(kind, what + " has reason " + reason + ", which nothing in the suite causes");
        }
    }

    static String reasonName(ExitReason reason) {
        return switch (reason) {
            case ExitReason.Normal n -> "normal";
            case ExitReason.Shutdown n -> "shutdown";
            case ExitReason.Killed n -> "killed";
            case ExitReason.Noproc n -> "noproc";
            case ExitReason.Noconnection n -> "noconnection";
            case ExitReason.Error e -> "error";
        };
    }
}
