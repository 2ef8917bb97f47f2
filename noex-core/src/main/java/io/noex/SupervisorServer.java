package io.noex;

import io.noex.spi.RestartIntensity;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor process: a GenServer that traps exits, links to each child it starts, and
 * applies its strategy when a child's {@link Exit} arrives. Child death is seen by that event,
 * never by polling. Children are stopped by unlinking first (so no stale {@link Exit} arrives),
 * then {@code stop} with the child's shutdown time, then kill.
 *
 * <p>Threading: every method runs on the supervisor's own process thread.
 */
final class SupervisorServer implements GenServerBehavior<SupervisorServer.State> {

    private static final Logger log = LoggerFactory.getLogger(SupervisorServer.class);

    /** One child slot: the spec it was started from and its current process, if running. */
    static final class Child {
        final ChildSpec spec;
        final List<Object> extraArgs;
        String id;
        GenServerRef ref;
        int restarts;

        Child(ChildSpec spec, String id, List<Object> extraArgs) {
            this.spec = spec;
            this.id = id;
            this.extraArgs = extraArgs;
        }

        ChildInfo info() {
            return new ChildInfo(id, java.util.Optional.ofNullable(ref), spec.type(), spec.restart(), restarts);
        }
    }

    /** The supervisor's state: its children in start order and its restart budget. */
    static final class State {
        final List<Child> children = new ArrayList<>();
        final RestartIntensity intensity;

        State(RestartIntensity intensity) {
            this.intensity = intensity;
        }

        @Override
        public String toString() {
            return "children=" + children.stream().map(c -> c.id + "=" + c.ref).toList();
        }
    }

    private final SupervisorSpec spec;
    private final GenServerRef parent;

    SupervisorServer(SupervisorSpec spec, GenServerRef parent) {
        this.spec = spec;
        this.parent = parent;
    }

    private static ServerProcess self() {
        return ProcessContext.current();
    }

    @Override
    public State init(List<Object> args) {
        State st = new State(new RestartIntensity(spec.maxRestarts(), spec.restartWindow().toNanos()));
        if (spec.strategy() == SupervisorStrategy.SIMPLE_ONE_FOR_ONE) {
            return st;
        }
        for (ChildSpec cs : spec.children()) {
            Child c = new Child(cs, cs.id(), List.of());
            try {
                c.ref = cs.start(self().node, self(), c.extraArgs);
            } catch (RuntimeException e) {
                shutdownAll(st);
                throw new InitFailedException(self().ref, "supervisor could not start child '" + cs.id() + "': " + e.getMessage(), e);
            }
            st.children.add(c);
        }
        return st;
    }

    @Override
    public CallResult<State> handleCall(Object msg, State st) {
        if (!(msg instanceof SupervisorRequest req)) {
            throw new UnknownMessageException(msg);
        }
        Object reply;
        try {
            reply = switch (req) {
                case SupervisorRequest.StartChild s -> startChild(st, s.spec());
                case SupervisorRequest.StartDynamicChild s -> startDynamicChild(st, s.extraArgs());
                case SupervisorRequest.TerminateChild t -> terminateChild(st, t.id());
                case SupervisorRequest.RestartChild r -> restartChild(st, r.id());
                case SupervisorRequest.DeleteChild d -> deleteChild(st, d.id());
                case SupervisorRequest.WhichChildren w -> st.children.stream().map(Child::info).toList();
                case SupervisorRequest.CountChildren c -> count(st);
            };
        } catch (NoexException e) {
            reply = new SupervisorRequest.Refused(e);
        }
        return CallResult.reply(reply, st);
    }

    @Override
    public State handleCast(Object msg, State st) {
        throw new UnknownMessageException(msg);
    }

    @Override
    public State handleInfo(Object msg, State st) {
        if (msg instanceof Exit exit) {
            onExit(st, exit);
        }
        return st;
    }

    @Override
    public void terminate(ExitReason reason, State st) {
        shutdownAll(st);
    }

    @Override
    public String formatState(State st) {
        return spec.strategy() + " " + st;
    }

    // ------------------------------------------------------------------ child exits

    private void onExit(State st, Exit exit) {
        Child c = find(st, exit.from());
        if (c == null) {
            if (exit.from().equals(parent) && !(exit.reason() instanceof ExitReason.Normal)) {
                self().node.stop(self().ref, exit.reason());
            }
            return;
        }
        c.ref = null;
        if (!c.spec.restart().restartsAfter(exit.reason())) {
            if (c.spec.restart() == RestartType.TEMPORARY || spec.strategy() == SupervisorStrategy.SIMPLE_ONE_FOR_ONE) {
                st.children.remove(c);
            }
            return;
        }
        if (self().node.isClosed()) {
            return;
        }
        if (!st.intensity.tryRestart(now())) {
            giveUp(st);
            return;
        }
        switch (spec.strategy()) {
            case ONE_FOR_ONE, SIMPLE_ONE_FOR_ONE -> restartOne(st, c);
            case ONE_FOR_ALL -> restartGroup(st, new ArrayList<>(st.children));
            case REST_FOR_ONE -> restartGroup(st, new ArrayList<>(st.children.subList(st.children.indexOf(c), st.children.size())));
        }
    }

    /** Stops the running members of {@code group} in reverse order, then restarts all in order. */
    private void restartGroup(State st, List<Child> group) {
        for (int i = group.size() - 1; i >= 0; i--) {
            shutdown(group.get(i));
        }
        for (Child c : group) {
            if (c.spec.restart() == RestartType.TEMPORARY) {
                st.children.remove(c); // a temporary child stopped by its supervisor is gone for good
                continue;
            }
            if (!restartOne(st, c)) {
                return;
            }
        }
    }

    /** Restarts one child; a failed start counts as another restart (Erlang). */
    private boolean restartOne(State st, Child c) {
        for (;;) {
            try {
                c.ref = c.spec.start(self().node, self(), c.extraArgs);
                c.restarts++;
                return true;
            } catch (RuntimeException e) {
                log.warn("supervisor {} could not restart child '{}': {}", self().ref, c.id, e.getMessage());
                if (!st.intensity.tryRestart(now())) {
                    giveUp(st);
                    return false;
                }
            }
        }
    }

    private void giveUp(State st) {
        String why = "supervisor " + self().ref + " reached its maximum restart intensity ("
                + spec.maxRestarts() + " restarts within " + spec.restartWindow().toMillis() + " ms)";
        log.error("{}; shutting down its children and exiting", why);
        self().node.stop(self().ref, ExitReason.error(why));
    }

    // ------------------------------------------------------------------ requests

    private GenServerRef startChild(State st, ChildSpec cs) {
        if (spec.strategy() == SupervisorStrategy.SIMPLE_ONE_FOR_ONE) {
            throw refused(cs.id(), SupervisorException.Problem.WRONG_STRATEGY,
                    "a SIMPLE_ONE_FOR_ONE supervisor starts children from its template: use startChild(sup, args)");
        }
        if (findById(st, cs.id()) != null) {
            throw refused(cs.id(), SupervisorException.Problem.DUPLICATE_CHILD_ID, "child id '" + cs.id() + "' already exists");
        }
        Child c = new Child(cs, cs.id(), List.of());
        c.ref = cs.start(self().node, self(), c.extraArgs);
        st.children.add(c);
        return c.ref;
    }

    private GenServerRef startDynamicChild(State st, List<Object> extraArgs) {
        if (spec.strategy() != SupervisorStrategy.SIMPLE_ONE_FOR_ONE) {
            throw refused("-", SupervisorException.Problem.WRONG_STRATEGY,
                    "startChild(sup, args) needs a SIMPLE_ONE_FOR_ONE supervisor; this one is " + spec.strategy());
        }
        ChildSpec template = spec.children().get(0);
        Child c = new Child(template, null, List.copyOf(extraArgs));
        c.ref = template.start(self().node, self(), c.extraArgs);
        c.id = c.ref.id();
        st.children.add(c);
        return c.ref;
    }

    private Object terminateChild(State st, String id) {
        Child c = require(st, id);
        shutdown(c);
        if (c.spec.restart() == RestartType.TEMPORARY || spec.strategy() == SupervisorStrategy.SIMPLE_ONE_FOR_ONE) {
            st.children.remove(c);
        }
        return Boolean.TRUE;
    }

    private GenServerRef restartChild(State st, String id) {
        Child c = require(st, id);
        if (spec.strategy() == SupervisorStrategy.SIMPLE_ONE_FOR_ONE) {
            throw refused(id, SupervisorException.Problem.WRONG_STRATEGY, "SIMPLE_ONE_FOR_ONE children cannot be restarted by id");
        }
        if (c.ref != null) {
            throw refused(id, SupervisorException.Problem.CHILD_RUNNING, "child '" + id + "' is running");
        }
        c.ref = c.spec.start(self().node, self(), c.extraArgs);
        return c.ref;
    }

    private Object deleteChild(State st, String id) {
        Child c = require(st, id);
        if (spec.strategy() == SupervisorStrategy.SIMPLE_ONE_FOR_ONE) {
            throw refused(id, SupervisorException.Problem.WRONG_STRATEGY, "SIMPLE_ONE_FOR_ONE children cannot be deleted");
        }
        if (c.ref != null) {
            throw refused(id, SupervisorException.Problem.CHILD_RUNNING, "child '" + id + "' is running; terminate it first");
        }
        st.children.remove(c);
        return Boolean.TRUE;
    }

    private static ChildCounts count(State st) {
        int active = 0;
        int supervisors = 0;
        for (Child c : st.children) {
            if (c.ref != null) {
                active++;
            }
            if (c.spec.type() == ChildSpec.Type.SUPERVISOR) {
                supervisors++;
            }
        }
        return new ChildCounts(st.children.size(), active, supervisors, st.children.size() - supervisors);
    }

    // ------------------------------------------------------------------ helpers

    private void shutdownAll(State st) {
        for (int i = st.children.size() - 1; i >= 0; i--) {
            shutdown(st.children.get(i));
        }
    }

    /** Unlink first, so the child's exit reaches us as nothing rather than as a stale Exit. */
    private void shutdown(Child c) {
        GenServerRef r = c.ref;
        c.ref = null;
        if (r == null) {
            return;
        }
        Node node = self().node;
        node.unlink(self().ref, r);
        if (c.spec.shutdown().isZero()) {
            node.kill(r);
        } else {
            node.stop(r, ExitReason.shutdown(), c.spec.shutdown());
        }
    }

    private static Child find(State st, GenServerRef ref) {
        for (Child c : st.children) {
            if (ref.equals(c.ref)) {
                return c;
            }
        }
        return null;
    }

    private static Child findById(State st, String id) {
        for (Child c : st.children) {
            if (id.equals(c.id) || (c.ref != null && id.equals(c.ref.id()))) {
                return c;
            }
        }
        return null;
    }

    private Child require(State st, String id) {
        Child c = findById(st, id);
        if (c == null) {
            throw refused(id, SupervisorException.Problem.CHILD_NOT_FOUND, "no child with id '" + id + "'");
        }
        return c;
    }

    private SupervisorException refused(String id, SupervisorException.Problem problem, String message) {
        return new SupervisorException(self().ref, id, problem, "supervisor " + self().ref + ": " + message);
    }

    private long now() {
        return self().node.scheduler().nanoTime();
    }
}
