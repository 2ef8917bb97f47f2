package io.noex;

import io.noex.spi.RemoteRouter;
import io.noex.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node: one runtime of processes with its own registry, timers and (once a cluster is attached)
 * its own network identity. Several nodes can live in one JVM, which is how tests run a cluster
 * in one process; most applications use one, the default node, through the static facades
 * {@link GenServer}, {@link Registry} and {@link Supervisor}.
 *
 * <p>This class is the local process API, with {@link #names()} and {@link #supervisors()} for
 * local names and supervisors; the facades are one-line delegations to {@link #current()}. It is
 * long (under 800 lines) because it is that API, written down once with its documentation; every
 * method validates its arguments, decides local or remote, and hands the work to a component
 * ({@code Spawner}, {@code ProcessTable}, {@code Signals}, {@code Timers}, the
 * {@link RemoteRouter}).
 *
 * <p>A node that runs no cluster still has a {@link NodeId} (like Erlang's {@code nonode@nohost}):
 * {@code <name>@nohost:1}. When a cluster gives it a real NodeId, refs handed out before stay
 * valid: the node answers to both.
 *
 * <p><b>Threading.</b> Every method is thread-safe. Blocking methods ({@code call}, {@code stop},
 * {@code start}) may be used from process threads and ordinary threads alike, never from a
 * network I/O thread.
 */
public final class Node implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Node.class);

    /** The default call timeout: 5 seconds. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);
    /** How long {@code stop} waits for {@code terminate} before it kills: 5 seconds. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);

    // The one mutable static of the runtime (see STYLE): the JVM's default node.
    private static final Object DEFAULT_LOCK = new Object();
    private static volatile Node defaultNode;

    private final String name;
    private final NodeId placeholderId;
    private volatile NodeId nodeId;
    /** Cluster identities this node had before its current one: refs naming them stay local. */
    private final java.util.concurrent.CopyOnWriteArrayList<NodeId> formerIds = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final NodeSpi spi = new NodeSpi(this);
    private final Scheduler scheduler;
    private final boolean ownsScheduler;
    private final ThreadFactory processThreads = Thread.ofVirtual().factory();
    private final ProcessTable processes = new ProcessTable();
    private final Signals signals = new Signals(this);
    private final Timers timers = new Timers(this);
    private final Counters counters = new Counters();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Supervisors supervisors = new Supervisors(this);
    private final NameRegistry names = new NameRegistry(this);
    private final Spawner spawner = new Spawner(this);
    private final ConcurrentHashMap<Class<?>, Object> extensions = new ConcurrentHashMap<>();
    private volatile RemoteRouter router = new NoClusterRouter(this);

    private Node(Builder b) {
        this.name = b.name != null ? b.name : "nonode-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 20), 36);
        this.placeholderId = NodeId.create(name, "nohost", 1);
        this.nodeId = placeholderId;
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = b.scheduler != null ? b.scheduler : Scheduler.system("noex-timer-" + name);
    }

    // ================================================================== creation

    /** @return a new local node with a generated name and the system clock */
    public static Node create() {
        return builder().build();
    }

    /**
     * @param name the node's name (NodeId name rules: a letter, then letters, digits, _ or -)
     * @return a new local node
     */
    public static Node create(String name) {
        return builder().name(name).build();
    }

    /** @return a builder for a node with a custom name or scheduler */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the JVM's default node: the one a cluster was started on, or a local node created
     *     on first use (and created again after it was closed)
     */
    public static Node defaultNode() {
        Node n = defaultNode;
        if (n == null || n.isClosed()) {
            synchronized (DEFAULT_LOCK) {
                n = defaultNode;
                if (n == null || n.isClosed()) {
                    n = create("nonode");
                    defaultNode = n;
                }
            }
        }
        return n;
    }

    /**
     * @return the node of the calling process when called from inside a GenServer callback,
     *     otherwise the {@linkplain #defaultNode() default node}
     */
    public static Node current() {
        ServerProcess p = ProcessContext.current();
        return p != null ? p.node : defaultNode();
    }

    // ================================================================== identity

    /** @return this node's NodeId: its cluster identity, or {@code <name>@nohost:1} without a cluster */
    public NodeId nodeId() {
        return nodeId;
    }

    /** @return the node's name */
    public String name() {
        return name;
    }

    /**
     * @param id a NodeId
     * @return true if {@code id} is this node (its cluster identity or its local placeholder)
     */
    public boolean isLocal(NodeId id) {
        NodeId current = nodeId;
        return id == current || id.equals(current) || id.equals(placeholderId) || formerIds.contains(id);
    }

    /**
     * For noex's own modules: the distribution layer's handle on this node (its package is
     * exported to them only). Applications never need it.
     *
     * @return the node's service-provider interface
     */
    public io.noex.spi.LocalNode spi() {
        return spi;
    }

    void assumeIdentity(NodeId id) {
        NodeId previous = nodeId;
        if (!previous.equals(placeholderId) && !previous.equals(id) && !formerIds.contains(previous)) {
            formerIds.add(previous);
        }
        formerIds.remove(id);
        nodeId = id;
    }

    void releaseIdentity() {
        assumeIdentity(placeholderId);
    }

    void installRouter(RemoteRouter newRouter) {
        router = newRouter == null ? new NoClusterRouter(this) : newRouter;
    }

    // ================================================================== processes

    /**
     * Starts a GenServer with default options. See {@link #start(GenServerBehavior, StartOptions)}.
     *
     * @param behavior the callbacks
     * @return the new process's ref
     */
    public GenServerRef start(GenServerBehavior<?> behavior) {
        return start(behavior, StartOptions.defaults());
    }

    /**
     * Starts a GenServer: runs {@code init} on the new process's thread and returns once it has.
     *
     * @param behavior the callbacks
     * @param options name, init timeout, exit trapping and init arguments
     * @return the new process's ref
     * @throws InitFailedException if {@code init} threw or returned null
     * @throws InitTimeoutException if {@code init} did not return within the init timeout
     * @throws NameAlreadyRegisteredException if the requested name is taken
     * @throws NodeClosedException if the node is closed
     */
    public GenServerRef start(GenServerBehavior<?> behavior, StartOptions options) {
        return spawn(behavior, options, null);
    }

    /**
     * Starts a GenServer linked to the calling process (Erlang's {@code start_link}): if either
     * exits abnormally, the other dies too unless it traps exits.
     *
     * @param behavior the callbacks
     * @param options the start options
     * @return the new process's ref
     * @throws NotInProcessException if not called from inside a GenServer callback
     */
    public GenServerRef startLink(GenServerBehavior<?> behavior, StartOptions options) {
        ServerProcess self = ProcessContext.current();
        if (self == null) {
            throw new NotInProcessException("startLink");
        }
        return spawn(behavior, options, self);
    }

    GenServerRef spawn(GenServerBehavior<?> behavior, StartOptions options, ServerProcess linkTo) {
        checkOpen();
        return spawner.spawn(behavior, options, linkTo);
    }

    /**
     * Calls a process with the default timeout (5 s). See {@link #call(GenServerRef, Object, Duration)}.
     *
     * @param ref the process
     * @param msg the request
     * @param <T> the reply type
     * @return the reply
     */
    public <T> T call(GenServerRef ref, Object msg) {
        return call(ref, msg, DEFAULT_CALL_TIMEOUT);
    }

    /**
     * Sends a request and waits for the reply. Works the same for a ref on another node (once a
     * cluster runs); the exceptions below are then their {@code Remote...} subclasses.
     *
     * @param ref the process, by id or registered name
     * @param msg the request, not null
     * @param timeout how long to wait; positive
     * @param <T> the reply type
     * @return the reply
     * @throws CallTimeoutException if no reply came in time
     * @throws ServerNotRunningException if the process does not exist
     * @throws ServerCrashedException if the process crashed handling this call
     * @throws ServerExitedException if the process exited before replying
     * @throws CallToSelfException if a process calls itself
     * @throws UnknownMessageException if the process rejected the message
     * @throws NodeNotReachableException if the ref's node is not connected
     */
    @SuppressWarnings("unchecked")
    public <T> T call(GenServerRef ref, Object msg, Duration timeout) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(msg, "msg must not be null");
        checkTimeout(timeout);
        if (!isLocal(ref.nodeId())) {
            return (T) router.call(ref, msg, timeout);
        }
        ServerProcess target = processes.get(ref.id());
        if (target == null) {
            throw new ServerNotRunningException(ref);
        }
        if (target == ProcessContext.current()) {
            throw new CallToSelfException(ref);
        }
        CallSlot slot = new CallSlot();
        if (!target.enqueue(new Envelope.Call(msg, slot))) {
            throw new ServerNotRunningException(ref);
        }
        return (T) slot.await(target.ref, timeout);
    }

    /**
     * Calls without blocking, with the default timeout.
     *
     * @param ref the process
     * @param msg the request
     * @param <T> the reply type
     * @return a future of the reply, failed with the exceptions {@link #call} throws
     */
    public <T> CompletableFuture<T> callAsync(GenServerRef ref, Object msg) {
        return callAsync(ref, msg, DEFAULT_CALL_TIMEOUT);
    }

    /**
     * Calls without blocking.
     *
     * @param ref the process
     * @param msg the request, not null
     * @param timeout when the future fails with {@link CallTimeoutException}; positive
     * @param <T> the reply type
     * @return a future of the reply
     */
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> callAsync(GenServerRef ref, Object msg, Duration timeout) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(msg, "msg must not be null");
        checkTimeout(timeout);
        if (!isLocal(ref.nodeId())) {
            return (CompletableFuture<T>) router.callAsync(ref, msg, timeout);
        }
        ServerProcess target = processes.get(ref.id());
        if (target == null) {
            return CompletableFuture.failedFuture(new ServerNotRunningException(ref));
        }
        AsyncCallSink<T> sink = new AsyncCallSink<>();
        if (!target.enqueue(new Envelope.Call(msg, sink))) {
            return CompletableFuture.failedFuture(new ServerNotRunningException(ref));
        }
        GenServerRef server = target.ref;
        sink.timeoutWith(scheduler.schedule(() -> sink.fail(new CallTimeoutException(server, timeout)), timeout));
        return sink;
    }

    /**
     * Sends an asynchronous request, handled by {@code handleCast}. Never fails: a message to a
     * process that does not exist (or a node that is not reachable) is dropped and counted, as
     * in Erlang.
     *
     * @param ref the process, by id or registered name
     * @param msg the request, not null
     */
    public void cast(GenServerRef ref, Object msg) {
        deliver(ref, msg, true);
    }

    /**
     * Sends a message handled by {@code handleInfo}. Dropped and counted if the process does not
     * exist.
     *
     * @param ref the process, by id or registered name
     * @param msg the message, not null
     */
    public void send(GenServerRef ref, Object msg) {
        deliver(ref, msg, false);
    }

    /** @return true if the message was queued (locally) or handed to a connection (remotely) */
    boolean deliver(GenServerRef ref, Object msg, boolean cast) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(msg, "msg must not be null");
        if (!isLocal(ref.nodeId())) {
            return cast ? router.cast(ref, msg) : router.send(ref, msg);
        }
        ServerProcess target = processes.get(ref.id());
        if (target != null && target.enqueue(cast ? new Envelope.Cast(msg) : new Envelope.Info(msg))) {
            return true;
        }
        counters.messageDropped();
        return false;
    }

    /**
     * Stops a process normally. See {@link #stop(GenServerRef, ExitReason, Duration)}.
     *
     * @param ref the process
     */
    public void stop(GenServerRef ref) {
        stop(ref, ExitReason.normal(), DEFAULT_STOP_TIMEOUT);
    }

    /**
     * Stops a process with a reason. See {@link #stop(GenServerRef, ExitReason, Duration)}.
     *
     * @param ref the process
     * @param reason the exit reason
     */
    public void stop(GenServerRef ref, ExitReason reason) {
        stop(ref, reason, DEFAULT_STOP_TIMEOUT);
    }

    /**
     * Stops a process: after the messages already in its mailbox, {@code terminate} runs with
     * {@code reason} and the process exits; this returns once it has. If it has not exited
     * within {@code timeout} it is killed. Stopping a process that is not running is a no-op.
     * A process that stops itself stops as soon as the current callback returns.
     *
     * @param ref the process
     * @param reason the exit reason
     * @param timeout how long {@code terminate} may take; positive
     */
    public void stop(GenServerRef ref, ExitReason reason, Duration timeout) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(reason, "reason");
        checkTimeout(timeout);
        if (!isLocal(ref.nodeId())) {
            router.stop(ref, reason, timeout);
            return;
        }
        ServerProcess p = processes.get(ref.id());
        if (p == null) {
            return;
        }
        if (p == ProcessContext.current()) {
            p.stopAfterCallback(reason);
            return;
        }
        ExitWaiter waiter = new ExitWaiter();
        if (!p.addExitWaiter(waiter) || !p.enqueue(new Envelope.Stop(reason))) {
            return;
        }
        if (!waiter.await(timeout.toNanos())) {
            log.warn("{} did not stop within {} ms; killing it", p.ref, timeout.toMillis());
            p.kill(ExitReason.killed());
        }
    }

    /**
     * Kills a process at once with reason {@code killed}: {@code terminate} does not run, a
     * callback in progress is interrupted and its result discarded. Not running: a no-op.
     *
     * @param ref the process
     */
    public void kill(GenServerRef ref) {
        Objects.requireNonNull(ref, "ref");
        if (!isLocal(ref.nodeId())) {
            router.kill(ref);
            return;
        }
        ServerProcess p = processes.get(ref.id());
        if (p != null) {
            p.kill(ExitReason.killed());
        }
    }

    /**
     * Sends an exit signal to a local process, as Erlang's {@code exit/2}: a process that traps
     * exits receives an {@link Exit} message (from the calling process, or from itself when called
     * from outside a process); otherwise a {@code normal} signal is ignored and any other reason
     * makes it exit with that reason at once, without {@code terminate}. Not running: a no-op.
     *
     * @param ref a local process
     * @param reason the exit reason
     */
    public void exit(GenServerRef ref, ExitReason reason) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(reason, "reason");
        ServerProcess p = isLocal(ref.nodeId()) ? processes.get(ref.id()) : null;
        if (p == null) {
            return;
        }
        ServerProcess self = ProcessContext.current();
        p.exitSignalUnlinked(self != null ? self.ref : p.ref, reason);
    }

    /**
     * @param ref a process
     * @return true if it is running (for a remote ref: asks its node; false if unreachable)
     */
    public boolean isRunning(GenServerRef ref) {
        Objects.requireNonNull(ref, "ref");
        if (!isLocal(ref.nodeId())) {
            return router.isRunning(ref);
        }
        ServerProcess p = processes.get(ref.id());
        return p != null && p.isAlive();
    }

    /**
     * Answers a call that was deferred with {@link CallResult#noReply}. Only the first answer to
     * a caller counts; later ones are ignored.
     *
     * @param caller from {@link GenServer#caller()}
     * @param reply the reply
     */
    public void reply(Caller caller, Object reply) {
        Objects.requireNonNull(caller, "caller").sink().reply(reply);
    }

    // ================================================================== monitors and links

    /**
     * Makes {@code watcher} monitor {@code target}: when {@code target} exits, {@code watcher}
     * receives a {@link Down} in {@code handleInfo}, exactly once. A target that does not exist
     * gives {@code noproc} at once; a target on a node that is lost gives {@code noconnection}.
     *
     * @param watcher a local process
     * @param target any process, local or remote, by id or registered name
     * @return the monitor, for {@link #demonitor}
     * @throws ServerNotRunningException if {@code watcher} is not a running local process
     */
    public MonitorRef monitor(GenServerRef watcher, GenServerRef target) {
        Objects.requireNonNull(watcher, "watcher");
        Objects.requireNonNull(target, "target");
        ServerProcess w = isLocal(watcher.nodeId()) ? processes.get(watcher.id()) : null;
        if (w == null) {
            throw new ServerNotRunningException(watcher);
        }
        return signals.monitorFromProcess(w, target);
    }

    /**
     * Monitors {@code target} with a callback, run once on its own virtual thread when the
     * target exits (with {@code noproc} if it does not exist). An exception the callback throws
     * is logged at WARN and ignored.
     *
     * @param target any process, local or remote
     * @param onDown told the target and the exit reason
     * @return the monitor, for {@link #demonitor}
     */
    public MonitorRef monitor(GenServerRef target, BiConsumer<GenServerRef, ExitReason> onDown) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(onDown, "onDown");
        return signals.monitorWithCallback(target, onDown);
    }

    /**
     * Removes a monitor. After this returns, its {@link Down} is not delivered, even if it was
     * already queued for the calling process.
     *
     * @param monitor the monitor
     * @return true if it was still active
     */
    public boolean demonitor(MonitorRef monitor) {
        return signals.demonitor(Objects.requireNonNull(monitor, "monitor"));
    }

    /**
     * Links two processes, at least one of them on this node. When either exits with a reason
     * other than {@code normal}, the other dies with the same reason, unless it traps exits, in
     * which case it receives an {@link Exit} message. Linking twice, or a process to itself,
     * does nothing.
     *
     * @param a a process
     * @param b another process
     * @throws ServerNotRunningException if a local one of them is not running
     */
    public void link(GenServerRef a, GenServerRef b) {
        signals.link(Objects.requireNonNull(a, "a"), Objects.requireNonNull(b, "b"));
    }

    /**
     * Removes the link between two processes, if there is one. After this returns neither
     * receives an exit signal from the other through that link.
     *
     * @param a a process
     * @param b another process
     */
    public void unlink(GenServerRef a, GenServerRef b) {
        signals.unlink(Objects.requireNonNull(a, "a"), Objects.requireNonNull(b, "b"));
    }

    // ================================================================== timers

    /**
     * Delivers {@code msg} to {@code ref}'s {@code handleInfo} after {@code delay}. The timer is
     * cancelled automatically if the (local) target exits first.
     *
     * @param ref the target process
     * @param msg the message
     * @param delay how long to wait; zero or positive
     * @return the timer, for {@link #cancelTimer}
     */
    public TimerRef sendAfter(GenServerRef ref, Object msg, Duration delay) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(msg, "msg must not be null");
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + delay);
        }
        return timers.sendAfter(ref, msg, delay);
    }

    /**
     * @param timer a timer from {@link #sendAfter}
     * @return true if it had not fired (its message will never arrive)
     */
    public boolean cancelTimer(TimerRef timer) {
        return timers.cancel(Objects.requireNonNull(timer, "timer"));
    }

    // ================================================================== registry

    /** @return this node's local names; {@link Registry} delegates here */
    public NameRegistry names() {
        return names;
    }

    // ================================================================== supervisors

    /**
     * Starts a supervisor. See {@link Supervisor}.
     *
     * @param spec the strategy, intensity and children
     * @return the supervisor's ref
     * @throws InitFailedException if a child failed to start (the ones started are stopped)
     */
    public GenServerRef startSupervisor(SupervisorSpec spec) {
        Objects.requireNonNull(spec, "spec");
        StartOptions.Builder options = StartOptions.builder().trapExit(true).initTimeout(spec.startTimeout());
        spec.name().ifPresent(options::name);
        return spawn(new SupervisorServer(spec, null), options.build(), null);
    }

    /**
     * Starts a supervisor linked to the calling process (Erlang's {@code supervisor:start_link}):
     * if the caller dies abnormally the supervisor shuts its children down and exits too.
     *
     * @param spec the strategy, intensity and children
     * @return the supervisor's ref
     * @throws NotInProcessException if not called from inside a GenServer callback
     */
    public GenServerRef startSupervisorLink(SupervisorSpec spec) {
        Objects.requireNonNull(spec, "spec");
        ServerProcess self = ProcessContext.current();
        if (self == null) {
            throw new NotInProcessException("startSupervisorLink");
        }
        StartOptions.Builder options = StartOptions.builder().trapExit(true).initTimeout(spec.startTimeout());
        spec.name().ifPresent(options::name);
        return spawn(new SupervisorServer(spec, self.ref), options.build(), self);
    }

    /** @return the supervisor operations of this node; {@link Supervisor} delegates here */
    public Supervisors supervisors() {
        return supervisors;
    }

    // ================================================================== introspection and lifecycle

    /** @return the number of live processes */
    public int processCount() {
        return processes.size();
    }

    /** @return refs of the live processes */
    public List<GenServerRef> processes() {
        Collection<ServerProcess> all = processes.all();
        List<GenServerRef> refs = new ArrayList<>(all.size());
        for (ServerProcess p : all) {
            refs.add(p.ref);
        }
        return refs;
    }

    /** @return a snapshot of the node's counters and table sizes */
    public NodeStats stats() {
        int supervisorCount = 0;
        for (ServerProcess p : processes.all()) {
            if ((Object) p.behavior() instanceof SupervisorServer) {
                supervisorCount++;
            }
        }
        return new NodeStats(processes.size(), counters.started.sum(), counters.exited.sum(), counters.crashed.sum(),
                counters.dropped.sum(), counters.handled.sum(), supervisorCount, signals.activeMonitors(),
                timers.pendingCount(), processes.names().size());
    }

    /**
     * The node's instance of a per-node service of another noex module (the distribution
     * layer's type registry, behavior registry, cluster), created on first use. This is how
     * such state lives in the node rather than in static fields.
     *
     * @param type the service's class, used as the key
     * @param factory creates the instance for this node, once
     * @param <T> the service type
     * @return the node's instance
     */
    public <T> T extension(Class<T> type, Function<Node, ? extends T> factory) {
        return type.cast(extensions.computeIfAbsent(type, t -> factory.apply(this)));
    }

    /** @return true once {@link #close()} was called */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Stops every process (reason {@code shutdown}; those that take longer than 5 s are killed),
     * then the node's timers. Supervisors do not restart children while their node closes.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        NodeShutdown.stopAll(this, DEFAULT_STOP_TIMEOUT);
        if (ownsScheduler) {
            scheduler.close();
        }
    }

    @Override
    public String toString() {
        return "Node " + nodeId;
    }

    // ================================================================== for the runtime's components

    ProcessTable table() {
        return processes;
    }

    Signals signals() {
        return signals;
    }

    Timers timers() {
        return timers;
    }

    Counters counters() {
        return counters;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    RemoteRouter router() {
        return router;
    }

    void startProcessThread(ServerProcess p) {
        processThreads.newThread(p).start();
    }

    /** Runs a user callback on its own virtual thread; what it throws is logged once at WARN. */
    void runCallback(String what, Runnable callback) {
        processThreads.newThread(() -> {
            try {
                callback.run();
            } catch (Throwable t) {
                log.warn("{} threw; ignored", what, t);
            }
        }).start();
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new NodeClosedException(nodeId);
        }
    }

    private static void checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    /** Builds a {@link Node}. Not thread-safe. */
    public static final class Builder {
        private String name;
        private Scheduler scheduler;

        private Builder() {
        }

        /**
         * @param name the node's name (NodeId name rules). Default: {@code nonode-} and a random
         *     suffix.
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * @param scheduler the clock and timer the node reads (the testkit's
         *     {@code ManualScheduler} in timing tests). Default: the system clock, with a timer
         *     thread the node owns and closes.
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /**
         * @return the node
         * @throws InvalidNodeIdException if the name breaks the NodeId name rules
         */
        public Node build() {
            if (name != null) {
                NodeId.create(name, "nohost", 1);
            }
            return new Node(this);
        }
    }
}
