package io.noex.distribution.remote;

import io.noex.CallInterruptedException;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.InitFailedException;
import io.noex.InitTimeoutException;
import io.noex.NameAlreadyRegisteredException;
import io.noex.Node;
import io.noex.NoexException;
import io.noex.NodeId;
import io.noex.NodeNotReachableException;
import io.noex.StartOptions;
import io.noex.distribution.BehaviorNotFoundException;
import io.noex.distribution.MessageSerializationException;
import io.noex.distribution.Registration;
import io.noex.distribution.RemoteFailure;
import io.noex.distribution.RemoteSpawnInitException;
import io.noex.distribution.RemoteSpawnRegistrationException;
import io.noex.distribution.RemoteSpawnTimeoutException;
import io.noex.distribution.SpawnOptions;
import io.noex.distribution.SpawnResult;
import io.noex.distribution.cluster.ClusterRuntime;
import io.noex.distribution.serialization.MessageType;
import io.noex.distribution.serialization.WireCodec;
import io.noex.distribution.transport.Connection;
import io.noex.spi.OneShot;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Starting a registered behavior on a node by name, both ends of it.
 * <pre>
 *   SPAWN_REQUEST [requestId, behavior, name or nil, registration, initTimeout ms, args]
 *   SPAWN_REPLY   [requestId, process id]
 *   SPAWN_ERROR   [requestId, kind, message, details]
 *                 kinds: behavior_not_found, init_failed (details: the failure), init_timeout,
 *                        registration (the name is taken), serialization, closed
 * </pre>
 * The target starts the process on a virtual thread of its own (init may block), never on the
 * event loop. A {@link Registration#GLOBAL} name is registered by the caller once the process
 * runs (the global registry is a layer above); the target registers only local names.
 *
 * <p>Threading: {@link #spawn} blocks its caller; handlers run on event loops.
 */
final class SpawnService {

    private final ClusterRuntime runtime;
    private final Node node;
    private final BehaviorTable behaviors;
    private final PendingRequests pending;
    private final RemoteCounters counters;

    SpawnService(ClusterRuntime runtime, Node node, BehaviorTable behaviors, PendingRequests pending, RemoteCounters counters) {
        this.runtime = runtime;
        this.node = node;
        this.behaviors = behaviors;
        this.pending = pending;
        this.counters = counters;
    }

    void register() {
        runtime.onMessage(MessageType.SPAWN_REQUEST, this::onRequest);
        runtime.onMessage(MessageType.SPAWN_REPLY, this::onReply);
        runtime.onMessage(MessageType.SPAWN_ERROR, this::onError);
    }

    SpawnResult spawn(String behavior, NodeId target, SpawnOptions options) {
        if (node.isLocal(target)) {
            return new SpawnResult(startLocally(behavior, options).id(), node.nodeId());
        }
        Connection c = runtime.connection(target).orElseThrow(() -> RemoteCalls.notConnected(runtime.self(), target));
        RemoteReplySlot slot = new RemoteReplySlot(target, c.incarnation());
        long id = pending.register(slot);
        try {
            byte[] frame = runtime.encode(MessageType.SPAWN_REQUEST, (out, v) -> {
                out.packLong(id);
                out.packString(behavior);
                if (options.name().isPresent() && options.registration() == Registration.LOCAL) {
                    out.packString(options.name().get());
                } else {
                    out.packNil();
                }
                out.packString(options.registration().name());
                out.packLong(options.initTimeout().toMillis());
                v.write("args", options.args());
            });
            long deadline = System.nanoTime() + options.timeout().toNanos();
            if (!RemoteCalls.sendBy(c, frame, deadline, target)) {
                throw new RemoteSpawnTimeoutException(behavior, target, options.timeout());
            }
            Object o;
            try {
                o = slot.await(Math.max(1, deadline - System.nanoTime()));
            } catch (Refusal r) {
                throw r.toPublic(behavior, target, options);
            }
            if (o == OneShot.TIMED_OUT) {
                throw new RemoteSpawnTimeoutException(behavior, target, options.timeout());
            }
            if (o == OneShot.INTERRUPTED) {
                throw new CallInterruptedException(new GenServerRef("<spawn>", target));
            }
            return new SpawnResult((String) o, target);
        } finally {
            pending.take(id);
        }
    }

    /** Starts a registered behavior here; the same checks as for a remote request. */
    GenServerRef startLocally(String behavior, SpawnOptions options) {
        return LocalSpawner.start(node, behaviors, behavior, options);
    }

    // ================================================================== target side

    private void onRequest(Connection from, WireCodec.Decoded d) throws IOException {
        var in = d.in();
        long id = in.unpackLong();
        String behavior = in.unpackString();
        String name = in.tryUnpackNil() ? null : in.unpackString();
        Registration registration = Registration.valueOf(in.unpackString());
        Duration initTimeout = Duration.ofMillis(Math.max(1, in.unpackLong()));
        List<?> args;
        try {
            Object a = d.values().read("args");
            args = a instanceof List<?> l ? l : List.of();
        } catch (MessageSerializationException e) {
            counters.undecodableRequests.increment();
            answerError(from, id, "serialization", e.getMessage(), null);
            return;
        }
        counters.spawnsServed.increment();
        SpawnOptions.Builder o = SpawnOptions.builder().initTimeout(initTimeout).args(args)
                .registration(registration == Registration.LOCAL ? Registration.LOCAL : Registration.NONE);
        if (name != null) {
            o.name(name);
        }
        SpawnOptions options = o.build();
        Thread.ofVirtual().start(() -> serve(from, id, behavior, options));
    }

    private void serve(Connection from, long id, String behavior, SpawnOptions options) {
        try {
            GenServerRef ref = startLocally(behavior, options);
            from.sendAnswer(runtime.encode(MessageType.SPAWN_REPLY, (out, v) -> {
                out.packLong(id);
                out.packString(ref.id());
            }));
        } catch (BehaviorNotFoundException e) {
            answerError(from, id, "behavior_not_found", behavior, null);
        } catch (RemoteSpawnRegistrationException e) {
            answerError(from, id, "registration", e.getMessage(), null);
        } catch (RemoteSpawnInitException e) {
            answerError(from, id, e.timedOut() ? "init_timeout" : "init_failed", e.getMessage(), e.getCause());
        } catch (NoexException e) {
            answerError(from, id, "closed", e.getMessage(), null);
        }
    }

    private void answerError(Connection to, long id, String kind, String message, Throwable cause) {
        to.sendAnswer(runtime.encode(MessageType.SPAWN_ERROR, (out, v) -> {
            out.packLong(id);
            out.packString(kind);
            out.packString(String.valueOf(message));
            v.write("failure", cause);
        }));
    }

    // ================================================================== caller side

    private void onReply(Connection from, WireCodec.Decoded d) throws IOException {
        long id = d.in().unpackLong();
        String processId = d.in().unpackString();
        Pending p = pending.take(id);
        if (p != null && p.node().equals(from.peer())) {
            p.answer(processId);
        }
    }

    private void onError(Connection from, WireCodec.Decoded d) throws IOException {
        var in = d.in();
        long id = in.unpackLong();
        String kind = in.unpackString();
        String message = in.unpackString();
        Object cause = d.values().read("failure");
        Pending p = pending.take(id);
        if (p == null || !p.node().equals(from.peer())) {
            return;
        }
        p.fail(new Refusal(kind, message, cause instanceof RemoteFailure f ? f : null));
    }

    /** A spawn error as the target reported it; {@link #spawn} turns it into the public exception. */
    private static final class Refusal extends NoexException {
        final String kind;
        final RemoteFailure failure;

        Refusal(String kind, String message, RemoteFailure failure) {
            super(message);
            this.kind = kind;
            this.failure = failure;
        }

        NoexException toPublic(String behavior, NodeId target, SpawnOptions options) {
            return switch (kind) {
                case "behavior_not_found" -> new BehaviorNotFoundException(behavior, target);
                case "registration" -> new RemoteSpawnRegistrationException(options.name().orElse("?"),
                        Registration.LOCAL, target, getMessage());
                case "init_timeout" -> new RemoteSpawnInitException(behavior, target, getMessage(), true, null);
                case "init_failed" -> new RemoteSpawnInitException(behavior, target, getMessage(), false, failure);
                case "serialization" -> new MessageSerializationException("args", "?", getMessage());
                default -> new NodeNotReachableException(target, "it refused the spawn: " + getMessage());
            };
        }
    }
}
