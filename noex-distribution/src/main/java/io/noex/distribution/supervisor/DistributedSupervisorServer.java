package io.noex.distribution.supervisor;

import io.noex.CallResult;
import io.noex.ChildCounts;
import io.noex.Exit;
import io.noex.ExitReason;
import io.noex.GenServer;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.NoexException;
import io.noex.RestartType;
import io.noex.SupervisorStrategy;
import io.noex.UnknownMessageException;
import io.noex.distribution.DistributedChildInfo;
import io.noex.distribution.DistributedChildSpec;
import io.noex.distribution.DistributedSupervisorEvent;
import io.noex.distribution.DistributedSupervisorException;
import io.noex.distribution.DistributedSupervisorSpec;
import io.noex.distribution.NodeInfo;
import io.noex.distribution.NodeSelector;
import io.noex.spi.RestartIntensity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributed supervisor process: the local supervisor's rules, with children on any node.
 * It traps exits and links to every child (a child's exit reaches it as an {@link Exit}; its own
 * death reaches the children through the links), and fences every remote child (the child's node
 * kills it if it loses this supervisor's node).
 *
 * <p><b>A lost node.</b> Its children are started again on live nodes: at once when the node is
 * known dead (its connection closed), after the fencing delay when it may only be cut off (a
 * heartbeat timeout), so the old copies are dead before the new ones start. Each lost child counts
 * once toward the restart intensity. The strategy decides which siblings go with them, as for a
 * crash: none ({@code ONE_FOR_ONE}), all ({@code ONE_FOR_ALL}), those started after the first lost
 * one ({@code REST_FOR_ONE}); siblings are stopped at once and started again together with the
 * lost children. While a child waits for its new start it is "parked" on the lost node
 * ({@link Child#parkedFor}); a terminate clears the mark, so a parked child the user stopped is
 * not brought back.
 *
 * <p>The longest class of its package (about 520 lines): placement, the four strategies, restarts
 * and migrations share the child table and are easiest to check together.
 *
 * <p>Threading: every method runs on the supervisor's own process thread.
 */
final class DistributedSupervisorServer implements GenServerBehavior<DistributedSupervisorServer.State> {

    private static final Logger log = LoggerFactory.getLogger(DistributedSupervisorServer.class);
    /** How soon a failed start after a node loss is tried again (each try counts as a restart). */
    private static final Duration RETRY = Duration.ofMillis(100);

    /** One child slot. */
    static final class Child {
        final DistributedChildSpec spec;
        final boolean dynamic;
        GenServerRef ref;
        NodeId node;
        int restarts;
        /** Not null while stopped and waiting to be started again after {@code parkedFor} was lost. */
        NodeId parkedFor;
        /** While parked: the process it had (gone, or being killed by its fence). */
        GenServerRef parkedRef;

        Child(DistributedChildSpec spec, boolean dynamic) {
            this.spec = spec;
            this.dynamic = dynamic;
        }

        DistributedChildInfo info() {
            return new DistributedChildInfo(spec.id(), Optional.ofNullable(ref), node, restarts);
        }

        /** Ends a park, if any; @return the process it last had (running, or parked), if any */
        GenServerRef unpark() {
            GenServerRef last = ref != null ? ref : parkedFor != null ? parkedRef : null;
            parkedFor = null;
            parkedRef = null;
            return last;
        }
    }

    /** The children in start order and the restart budget. */
    static final class State {
        final List<Child> children = new ArrayList<>();
        final RestartIntensity intensity;
        int instances;

        State(RestartIntensity intensity) {
            this.intensity = intensity;
        }

        @Override
        public String toString() {
            return "children=" + children.stream().map(c -> c.spec.id() + "=" + c.ref).toList();
        }
    }

    private final SupervisionService service;
    private final DistributedSupervisorSpec spec;
    private GenServerRef self;

    DistributedSupervisorServer(SupervisionService service, DistributedSupervisorSpec spec) {
        this.service = service;
        this.spec = spec;
    }

    private Node node() {
        return service.node();
    }

    @Override
    public State init(List<Object> args) {
        self = GenServer.self();
        service.registered(self, spec.lifecycleListeners());
        State st = new State(new RestartIntensity(spec.maxRestarts(), spec.restartWindow().toNanos()));
        if (spec.strategy() != SupervisorStrategy.SIMPLE_ONE_FOR_ONE) {
            for (DistributedChildSpec cs : spec.children()) {
                Child c = new Child(cs, false);
                try {
                    place(c, Optional.empty(), Optional.empty());
                } catch (RuntimeException e) {
                    stopAll(st, false);
                    service.unregistered(self);
                    throw e;
                }
                st.children.add(c);
                emit(new DistributedSupervisorEvent.ChildStarted(cs.id(), c.ref, c.node));
            }
        }
        emit(new DistributedSupervisorEvent.SupervisorStarted(self));
        return st;
    }

    @Override
    public CallResult<State> handleCall(Object msg, State st) {
        Object reply;
        try {
            reply = switch (msg) {
                case SupervisorMessages.StartChild s -> addChild(st, fromPlain(s));
                case SupervisorMessages.StartChildLocal s -> addChild(st, s.spec());
                case SupervisorMessages.StartInstance s -> startInstance(st, s.args());
                case SupervisorMessages.TerminateChild t -> terminateChild(st, t.id());
                case SupervisorMessages.RestartChild r -> restartChild(st, r.id());
                case SupervisorMessages.WhichChildren w -> st.children.stream().map(Child::info).toList();
                case SupervisorMessages.CountChildren c -> count(st);
                default -> throw new UnknownMessageException(msg);
            };
        } catch (DistributedSupervisorException e) {
            reply = new SupervisorMessages.Refused(e.childId(), e.getMessage());
        }
        return CallResult.reply(reply, st);
    }

    @Override
    public State handleCast(Object msg, State st) {
        throw new UnknownMessageException(msg);
    }

    @Override
    public State handleInfo(Object msg, State st) {
        switch (msg) {
            case Exit exit -> onExit(st, exit);
            case SupervisorMessages.NodeLost lost -> onNodeLost(st, lost.node());
            case SupervisorMessages.Migrate m -> startParked(st, m.from());
            default -> log.debug("{} ignored an unexpected message {}", self, msg);
        }
        return st;
    }

    @Override
    public void terminate(ExitReason reason, State st) {
        stopAll(st, true);
        emit(new DistributedSupervisorEvent.SupervisorStopped(self, reason));
        service.unregistered(self);
    }

    @Override
    public String formatState(State st) {
        return spec.strategy() + " " + st;
    }

    // ================================================================== exits and lost nodes

    private void onExit(State st, Exit exit) {
        Child c = byRef(st, exit.from());
        if (c == null) {
            return; // a child already replaced, or terminated on purpose
        }
        if (exit.reason() instanceof ExitReason.Noconnection && !service.isUp(c.node)) {
            // Normally the node's loss arrives first (NodeLost) and this child is no longer
            // found; if not, the exit is news of that loss. (A child on a node that is up and
            // exited with noconnection for reasons of its own is an ordinary exit.)
            onNodeLost(st, c.node);
            return;
        }
        c.ref = null;
        onChildExit(st, c, exit.from(), exit.reason());
    }

    private void onNodeLost(State st, NodeId lost) {
        if (service.isStopping()) {
            return; // this node is leaving the cluster, and the supervisor is being stopped
        }
        List<Child> affected = st.children.stream().filter(c -> c.ref != null && lost.equals(c.node)).toList();
        if (affected.isEmpty()) {
            return;
        }
        emit(new DistributedSupervisorEvent.NodeFailureDetected(lost, affected.stream().map(c -> c.spec.id()).toList()));
        List<Child> lostChildren = new ArrayList<>();
        for (Child c : affected) {
            GenServerRef old = c.ref;
            c.ref = null;
            // If the node comes back in the same life (a partition healed), the old copy is
            // killed there, should its fence not have done it already.
            service.orphaned(lost, old);
            if (!c.spec.restart().restartsAfter(ExitReason.noconnection())) {
                forget(st, c, old, ExitReason.noconnection());
                continue;
            }
            if (!st.intensity.tryRestart(now())) {
                giveUp();
                return;
            }
            c.parkedFor = lost;
            c.parkedRef = old;
            lostChildren.add(c);
        }
        if (lostChildren.isEmpty()) {
            return;
        }
        // The siblings the strategy restarts with them stop now and start with them.
        for (Child sibling : new ArrayList<>(siblingsOf(st, lostChildren)).reversed()) {
            GenServerRef last = sibling.ref;
            if (last == null) {
                continue;
            }
            shutdown(sibling);
            if (sibling.spec.restart() == RestartType.TEMPORARY) {
                forget(st, sibling, last, ExitReason.shutdown());
            } else {
                sibling.parkedFor = lost;
                sibling.parkedRef = last;
            }
        }
        Duration delay = service.migrationDelay(lost);
        if (delay.isZero()) {
            startParked(st, lost);
        } else {
            GenServer.sendAfter(self, new SupervisorMessages.Migrate(lost), delay);
        }
    }

    /** The children that go down and up again with {@code lost}, by the strategy, in start order. */
    private List<Child> siblingsOf(State st, List<Child> lost) {
        return groupFrom(st, lost.stream().mapToInt(st.children::indexOf).min().orElseThrow());
    }

    /**
     * The children restarted together with the one at {@code first}, by the strategy, in start
     * order: none for one_for_one (it restarts alone), all for one_for_all, it and those started
     * after it for rest_for_one. The one rule for a crash and for a node loss.
     */
    private List<Child> groupFrom(State st, int first) {
        return switch (spec.strategy()) {
            case ONE_FOR_ONE, SIMPLE_ONE_FOR_ONE -> List.of();
            case ONE_FOR_ALL -> st.children;
            case REST_FOR_ONE -> st.children.subList(first, st.children.size());
        };
    }

    /**
     * Starts the children parked after {@code lost} was lost, in start order: those that ran on a
     * node that is not up elsewhere ({@code child_migrated}), the others on their own node
     * ({@code child_restarted}). One that cannot be started stays parked and is tried again soon;
     * each try counts toward the intensity.
     */
    private void startParked(State st, NodeId lost) {
        boolean retry = false;
        for (Child c : List.copyOf(st.children)) {
            if (!lost.equals(c.parkedFor) || c.ref != null) {
                continue;
            }
            c.parkedFor = null;
            GenServerRef previous = c.parkedRef;
            NodeId from = c.node;
            boolean moves = !service.isUp(from);
            try {
                place(c, moves ? Optional.empty() : Optional.of(from), moves ? Optional.of(from) : Optional.empty());
            } catch (NoexException e) {
                log.warn("{} could not start child '{}' again after losing {}: {}", self, c.spec.id(), lost, e.getMessage());
                c.parkedFor = lost;
                if (!st.intensity.tryRestart(now())) {
                    giveUp();
                    return;
                }
                retry = true;
                continue;
            }
            c.restarts++;
            emit(moves ? new DistributedSupervisorEvent.ChildMigrated(c.spec.id(), from, c.node, c.ref)
                    : new DistributedSupervisorEvent.ChildRestarted(c.spec.id(), previous, c.ref, c.node, c.restarts));
        }
        if (retry) {
            GenServer.sendAfter(self, new SupervisorMessages.Migrate(lost), RETRY);
        }
    }

    private void onChildExit(State st, Child c, GenServerRef previous, ExitReason reason) {
        if (!c.spec.restart().restartsAfter(reason)) {
            forget(st, c, previous, reason);
            return;
        }
        if (node().isClosed()) {
            return;
        }
        if (!st.intensity.tryRestart(now())) {
            giveUp();
            return;
        }
        List<Child> group = groupFrom(st, st.children.indexOf(c));
        if (group.isEmpty()) {
            restartOne(st, c, previous);
        } else {
            restartGroup(st, c, previous, new ArrayList<>(group));
        }
    }

    private void restartGroup(State st, Child crashed, GenServerRef crashedRef, List<Child> group) {
        List<GenServerRef> previous = new ArrayList<>();
        for (Child c : group) {
            previous.add(c == crashed ? crashedRef : c.ref);
        }
        for (int i = group.size() - 1; i >= 0; i--) {
            shutdown(group.get(i));
        }
        for (int i = 0; i < group.size(); i++) {
            Child c = group.get(i);
            if (c.parkedFor != null) {
                continue; // waiting for its fencing delay: it starts when that ends
            }
            if (c != crashed && c.spec.restart() == RestartType.TEMPORARY) {
                forget(st, c, previous.get(i), ExitReason.shutdown());
                continue;
            }
            if (!restartOne(st, c, previous.get(i))) {
                return;
            }
        }
    }

    /** Restarts a child, on its node if that is still up; a failed start counts as a restart. */
    private boolean restartOne(State st, Child c, GenServerRef previous) {
        for (;;) {
            try {
                place(c, Optional.ofNullable(c.node).filter(service::isUp), Optional.empty());
                c.restarts++;
                emit(new DistributedSupervisorEvent.ChildRestarted(c.spec.id(), previous, c.ref, c.node, c.restarts));
                return true;
            } catch (NoexException e) {
                log.warn("{} could not restart child '{}': {}", self, c.spec.id(), e.getMessage());
                if (!st.intensity.tryRestart(now())) {
                    giveUp();
                    return false;
                }
            }
        }
    }

    private void forget(State st, Child c, GenServerRef last, ExitReason reason) {
        if (c.spec.restart() == RestartType.TEMPORARY || c.dynamic) {
            st.children.remove(c);
        }
        emit(new DistributedSupervisorEvent.ChildStopped(c.spec.id(), last, reason));
    }

    private void giveUp() {
        String why = "distributed supervisor " + self + " reached its maximum restart intensity ("
                + spec.maxRestarts() + " restarts within " + spec.restartWindow().toMillis() + " ms)";
        log.error("{}; stopping its children and exiting", why);
        node().stop(self, ExitReason.error(why));
    }

    // ================================================================== placement

    /**
     * Starts a child on a node: {@code prefer} if it is a candidate, else the one its selector
     * picks among the candidates ({@code avoid} excluded); then links it and fences it.
     */
    private void place(Child c, Optional<NodeId> prefer, Optional<NodeId> avoid) {
        List<NodeInfo> candidates = new ArrayList<>(service.candidates());
        avoid.ifPresent(a -> candidates.removeIf(i -> i.id().equals(a)));
        if (candidates.isEmpty()) {
            throw new DistributedSupervisorException(c.spec.id(), "no live node to start child '" + c.spec.id() + "' on", null);
        }
        NodeId target = prefer.filter(p -> candidates.stream().anyMatch(i -> i.id().equals(p)))
                .orElseGet(() -> select(c, candidates));
        GenServerRef ref;
        try {
            ref = service.spawn(c.spec.behaviorName(), target, c.spec.initArgs()).ref();
        } catch (NoexException e) {
            throw new DistributedSupervisorException(c.spec.id(), "cannot start child '" + c.spec.id() + "' ("
                    + c.spec.behaviorName() + ") on " + target + ": " + e.getMessage(), e);
        }
        c.ref = ref;
        c.node = target;
        c.parkedFor = null;
        c.parkedRef = null;
        try {
            node().link(self, ref);
            service.fence(ref);
        } catch (NoexException e) {
            // It died at once, or its node went: the exit (or the node's loss) arrives as a message.
            log.debug("{}: child '{}' went before it was linked: {}", self, c.spec.id(), e.getMessage());
        }
    }

    private NodeId select(Child c, List<NodeInfo> candidates) {
        NodeSelector selector = c.spec.nodeSelector().orElse(spec.nodeSelector());
        NodeId chosen;
        try {
            chosen = selector.select(c.spec.id(), List.copyOf(candidates));
        } catch (Throwable t) {
            throw new DistributedSupervisorException(c.spec.id(), "the node selector threw for child '" + c.spec.id()
                    + "': " + t, t);
        }
        if (chosen == null || candidates.stream().noneMatch(i -> i.id().equals(chosen))) {
            throw new DistributedSupervisorException(c.spec.id(), "the node selector chose " + chosen + " for child '"
                    + c.spec.id() + "', which is not a live member (candidates: "
                    + candidates.stream().map(NodeInfo::id).toList() + ")", null);
        }
        return chosen;
    }

    // ================================================================== requests

    private GenServerRef addChild(State st, DistributedChildSpec cs) {
        if (spec.strategy() == SupervisorStrategy.SIMPLE_ONE_FOR_ONE) {
            throw new DistributedSupervisorException(cs.id(), "a SIMPLE_ONE_FOR_ONE supervisor starts instances of its "
                    + "template: use startChild(ref, args)", null);
        }
        if (find(st, cs.id()).isPresent()) {
            throw new DistributedSupervisorException(cs.id(), "child id '" + cs.id() + "' already exists", null);
        }
        Child c = new Child(cs, false);
        place(c, Optional.empty(), Optional.empty());
        st.children.add(c);
        emit(new DistributedSupervisorEvent.ChildStarted(cs.id(), c.ref, c.node));
        return c.ref;
    }

    private GenServerRef startInstance(State st, List<Object> args) {
        if (spec.strategy() != SupervisorStrategy.SIMPLE_ONE_FOR_ONE) {
            throw new DistributedSupervisorException("-", "startChild(ref, args) needs a SIMPLE_ONE_FOR_ONE supervisor", null);
        }
        DistributedChildSpec template = spec.children().get(0);
        Child c = new Child(template.instance(template.id() + "-" + (++st.instances), args), true);
        place(c, Optional.empty(), Optional.empty());
        st.children.add(c);
        emit(new DistributedSupervisorEvent.ChildStarted(c.spec.id(), c.ref, c.node));
        return c.ref;
    }

    private Object terminateChild(State st, String id) {
        Child c = require(st, id);
        GenServerRef last = c.unpark(); // a child waiting to move is not brought back once terminated
        shutdown(c);
        if (c.spec.restart() == RestartType.TEMPORARY || c.dynamic) {
            st.children.remove(c);
        }
        if (last != null) {
            emit(new DistributedSupervisorEvent.ChildStopped(id, last, ExitReason.shutdown()));
        }
        return Boolean.TRUE;
    }

    private GenServerRef restartChild(State st, String id) {
        Child c = require(st, id);
        if (c.ref != null) {
            throw new DistributedSupervisorException(id, "child '" + id + "' is running (on " + c.node + ")", null);
        }
        if (c.parkedFor != null) {
            // Starting it now could run it beside a copy on the cut-off node: wait for the fence.
            throw new DistributedSupervisorException(id, "child '" + id + "' is waiting to be started again after "
                    + c.parkedFor + " was lost; it starts by itself when its fencing delay ends", null);
        }
        place(c, Optional.ofNullable(c.node).filter(service::isUp), Optional.empty());
        emit(new DistributedSupervisorEvent.ChildStarted(id, c.ref, c.node));
        return c.ref;
    }

    private static ChildCounts count(State st) {
        int active = (int) st.children.stream().filter(c -> c.ref != null).count();
        return new ChildCounts(st.children.size(), active, 0, st.children.size());
    }

    private static DistributedChildSpec fromPlain(SupervisorMessages.StartChild s) {
        RestartType restart;
        try {
            restart = RestartType.valueOf(s.restart());
        } catch (IllegalArgumentException e) {
            throw new DistributedSupervisorException(s.id(), "unknown restart type '" + s.restart() + "' for child '"
                    + s.id() + "'", e);
        }
        if (s.shutdownMillis() < 0) {
            throw new DistributedSupervisorException(s.id(), "negative shutdown time " + s.shutdownMillis()
                    + " ms for child '" + s.id() + "'", null);
        }
        try {
            return DistributedChildSpec.of(s.id(), s.behavior(), s.args() == null ? List.of() : s.args())
                    .withRestart(restart).withShutdown(Duration.ofMillis(s.shutdownMillis()));
        } catch (IllegalArgumentException e) {
            throw new DistributedSupervisorException(String.valueOf(s.id()), e.getMessage(), e);
        }
    }

    // ================================================================== helpers

    /** Stops every running child, last started first; with {@code report}, a ChildStopped each. */
    private void stopAll(State st, boolean report) {
        for (int i = st.children.size() - 1; i >= 0; i--) {
            Child c = st.children.get(i);
            GenServerRef last = c.unpark();
            shutdown(c);
            if (report && last != null) {
                emit(new DistributedSupervisorEvent.ChildStopped(c.spec.id(), last, ExitReason.shutdown()));
            }
        }
    }

    /** Unlink first, so the child's exit comes back as nothing rather than as a stale Exit. */
    private void shutdown(Child c) {
        GenServerRef r = c.ref;
        c.ref = null;
        if (r == null) {
            return;
        }
        try {
            node().unlink(self, r);
            if (c.spec.shutdown().isZero()) {
                node().kill(r);
            } else {
                node().stop(r, ExitReason.shutdown(), c.spec.shutdown());
            }
        } catch (NoexException e) {
            log.debug("{}: stopping child '{}' on {}: {}", self, c.spec.id(), r.nodeId(), e.getMessage());
        }
    }

    private static Child byRef(State st, GenServerRef ref) {
        for (Child c : st.children) {
            if (ref.equals(c.ref)) {
                return c;
            }
        }
        return null;
    }

    private static Optional<Child> find(State st, String id) {
        return st.children.stream().filter(c -> c.spec.id().equals(id)).findFirst();
    }

    private static Child require(State st, String id) {
        return find(st, id).orElseThrow(() -> new DistributedSupervisorException(id, "no child with id '" + id + "'", null));
    }

    private void emit(DistributedSupervisorEvent event) {
        service.emit(self, event);
    }

    private long now() {
        return node().spi().scheduler().nanoTime();
    }
}
