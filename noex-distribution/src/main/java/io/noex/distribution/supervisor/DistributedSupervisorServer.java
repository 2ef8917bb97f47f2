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
 * kills it if it loses this supervisor's node). A child whose node is lost is started again on a
 * live node: at once when the node is known dead (its connection closed), after the fencing delay
 * when it may only be cut off (a heartbeat timeout), so the old copy is dead before the new one
 * starts. Each such migration counts once toward the restart intensity.
 *
 * <p>The longest class of its package (about 450 lines): placement, the four strategies, restarts
 * and migrations share the child table and are easiest to check together.
 *
 * <p>Threading: every method runs on the supervisor's own process thread.
 */
final class DistributedSupervisorServer implements GenServerBehavior<DistributedSupervisorServer.State> {

    private static final Logger log = LoggerFactory.getLogger(DistributedSupervisorServer.class);
    private static final Duration RETRY = Duration.ofMillis(100);

    /** One child slot. */
    static final class Child {
        DistributedChildSpec spec;
        GenServerRef ref;
        NodeId node;
        int restarts;
        boolean dynamic;

        Child(DistributedChildSpec spec, boolean dynamic) {
            this.spec = spec;
            this.dynamic = dynamic;
        }

        DistributedChildInfo info() {
            return new DistributedChildInfo(spec.id(), Optional.ofNullable(ref), node, restarts);
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
        service.registered(self);
        State st = new State(new RestartIntensity(spec.maxRestarts(), spec.restartWindow().toNanos()));
        if (spec.strategy() != SupervisorStrategy.SIMPLE_ONE_FOR_ONE) {
            for (DistributedChildSpec cs : spec.children()) {
                Child c = new Child(cs, false);
                try {
                    place(c, Optional.empty(), Optional.empty());
                } catch (RuntimeException e) {
                    stopAll(st);
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
            case SupervisorMessages.Migrate m -> find(st, m.childId()).ifPresent(c -> migrate(st, c, m.from()));
            default -> log.debug("{} ignored an unexpected message {}", self, msg);
        }
        return st;
    }

    @Override
    public void terminate(ExitReason reason, State st) {
        stopAll(st);
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
        NodeId where = c.node;
        c.ref = null;
        if (exit.reason() instanceof ExitReason.Noconnection) {
            scheduleMigration(st, c, where);
        } else {
            onChildExit(st, c, exit.from(), exit.reason());
        }
    }

    private void onNodeLost(State st, NodeId lost) {
        List<Child> affected = st.children.stream().filter(c -> c.ref != null && lost.equals(c.node)).toList();
        if (affected.isEmpty()) {
            return;
        }
        emit(new DistributedSupervisorEvent.NodeFailureDetected(lost, affected.stream().map(c -> c.spec.id()).toList()));
        for (Child c : affected) {
            c.ref = null;
            scheduleMigration(st, c, lost);
        }
    }

    /** A child lost with its node starts elsewhere: each counts once toward the intensity. */
    private void scheduleMigration(State st, Child c, NodeId from) {
        if (!c.spec.restart().restartsAfter(ExitReason.noconnection())) {
            forget(st, c, ExitReason.noconnection());
            return;
        }
        if (!st.intensity.tryRestart(now())) {
            giveUp();
            return;
        }
        Duration delay = service.migrationDelay(from);
        if (delay.isZero()) {
            migrate(st, c, from);
        } else {
            GenServer.sendAfter(self, new SupervisorMessages.Migrate(c.spec.id(), from), delay);
        }
    }

    private void migrate(State st, Child c, NodeId from) {
        if (c.ref != null || !st.children.contains(c)) {
            return;
        }
        try {
            place(c, Optional.empty(), Optional.of(from));
            c.restarts++;
            emit(new DistributedSupervisorEvent.ChildMigrated(c.spec.id(), from, c.node, c.ref));
        } catch (NoexException e) {
            log.warn("{} could not start child '{}' elsewhere after losing {}: {}", self, c.spec.id(), from, e.getMessage());
            if (!st.intensity.tryRestart(now())) {
                giveUp();
                return;
            }
            GenServer.sendAfter(self, new SupervisorMessages.Migrate(c.spec.id(), from), RETRY);
        }
    }

    private void onChildExit(State st, Child c, GenServerRef previous, ExitReason reason) {
        if (!c.spec.restart().restartsAfter(reason)) {
            forget(st, c, reason);
            return;
        }
        if (node().isClosed()) {
            return;
        }
        if (!st.intensity.tryRestart(now())) {
            giveUp();
            return;
        }
        switch (spec.strategy()) {
            case ONE_FOR_ONE, SIMPLE_ONE_FOR_ONE -> restartOne(st, c, previous);
            case ONE_FOR_ALL -> restartGroup(st, new ArrayList<>(st.children));
            case REST_FOR_ONE -> restartGroup(st, new ArrayList<>(st.children.subList(st.children.indexOf(c), st.children.size())));
        }
    }

    private void restartGroup(State st, List<Child> group) {
        for (int i = group.size() - 1; i >= 0; i--) {
            shutdown(group.get(i));
        }
        for (Child c : group) {
            if (c.spec.restart() == RestartType.TEMPORARY) {
                forget(st, c, ExitReason.shutdown());
                continue;
            }
            if (!restartOne(st, c, null)) {
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

    private void forget(State st, Child c, ExitReason reason) {
        if (c.spec.restart() == RestartType.TEMPORARY || c.dynamic) {
            st.children.remove(c);
        }
        emit(new DistributedSupervisorEvent.ChildStopped(c.spec.id(), c.ref, reason));
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
        GenServerRef last = c.ref;
        shutdown(c);
        if (c.spec.restart() == RestartType.TEMPORARY || c.dynamic) {
            st.children.remove(c);
        }
        emit(new DistributedSupervisorEvent.ChildStopped(id, last, ExitReason.shutdown()));
        return Boolean.TRUE;
    }

    private GenServerRef restartChild(State st, String id) {
        Child c = require(st, id);
        if (c.ref != null) {
            throw new DistributedSupervisorException(id, "child '" + id + "' is running", null);
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
        return DistributedChildSpec.of(s.id(), s.behavior(), s.args())
                .withRestart(RestartType.valueOf(s.restart()))
                .withShutdown(Duration.ofMillis(s.shutdownMillis()));
    }

    // ================================================================== helpers

    private void stopAll(State st) {
        for (int i = st.children.size() - 1; i >= 0; i--) {
            shutdown(st.children.get(i));
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
