package io.noex.distribution.remote;

import io.noex.CallInterruptedException;
import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeNotReachableException;
import io.noex.distribution.RemoteCallTimeoutException;
import io.noex.distribution.cluster.ClusterRuntime;
import io.noex.distribution.serialization.MessageType;
import io.noex.distribution.serialization.WireCodec;
import io.noex.distribution.transport.Connection;
import io.noex.spi.OneShot;
import java.io.IOException;
import java.time.Duration;

/**
 * Stopping, killing and asking after a process on another node.
 * <pre>
 *   CONTROL_REQUEST [requestId, op, target id or name, exit reason or nil, timeout ms]
 *                   op: stop, kill, is_running, fence, snapshot
 *   CONTROL_REPLY   [requestId, result]
 * </pre>
 * The target node carries out a stop on a virtual thread (it waits for {@code terminate}), never
 * on the event loop.
 *
 * <p>{@code fence} asks the target node to kill the process (untrappably) if it loses the
 * requesting node: a distributed supervisor fences each remote child, so a child whose
 * supervisor's node is lost or partitioned away does not run on unsupervised, and cannot live on
 * beside the copy the supervisor starts elsewhere.
 *
 * <p>Threading: the requesting methods block their caller; handlers run on event loops.
 */
final class ControlService {

    /** Extra time a requester waits beyond the operation's own timeout, for the network. */
    private static final Duration MARGIN = Duration.ofSeconds(5);

    private final ClusterRuntime runtime;
    private final Node node;
    private final PendingRequests pending;
    /** What this node reports about itself to an observer ({@code snapshot}). */
    private volatile java.util.function.Supplier<java.util.Map<String, Object>> snapshotSource = java.util.Map::of;

    /** Local processes to kill if their fencing node is lost: process id to that node. */
    private final java.util.concurrent.ConcurrentHashMap<GenServerRef, io.noex.NodeId> fenced =
            new java.util.concurrent.ConcurrentHashMap<>();

    ControlService(ClusterRuntime runtime, Node node, PendingRequests pending) {
        this.runtime = runtime;
        this.node = node;
        this.pending = pending;
    }

    void snapshotSource(java.util.function.Supplier<java.util.Map<String, Object>> source) {
        this.snapshotSource = source;
    }

    /** @return another node's report about itself */
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> snapshot(io.noex.NodeId target, Duration timeout) {
        Object o = request(new GenServerRef("<observer>", target), "snapshot", null, timeout, Duration.ZERO);
        return o instanceof java.util.Map<?, ?> m ? (java.util.Map<String, Object>) m : java.util.Map.of();
    }

    /**
     * Asks {@code target}'s node to kill it if it loses this node; returns once that is in place.
     *
     * @param target a process on another node
     */
    void fence(GenServerRef target) {
        request(target, "fence", null, Duration.ofSeconds(1));
    }

    /** This node lost {@code lost}: the processes it fenced die with their supervision. */
    void nodeLost(io.noex.NodeId lost) {
        for (var e : fenced.entrySet()) {
            if (e.getValue().equals(lost) && fenced.remove(e.getKey(), e.getValue())) {
                node.kill(e.getKey());
            }
        }
    }

    int fencedCount() {
        return fenced.size();
    }

    void register() {
        runtime.onMessage(MessageType.CONTROL_REQUEST, this::onRequest);
        runtime.onMessage(MessageType.CONTROL_REPLY, this::onReply);
    }

    void stop(GenServerRef target, ExitReason reason, Duration timeout) {
        request(target, "stop", reason, timeout);
    }

    void kill(GenServerRef target) {
        request(target, "kill", null, Duration.ofSeconds(1));
    }

    boolean isRunning(GenServerRef target) {
        if (runtime.connection(target.nodeId()).isEmpty()) {
            return false;
        }
        try {
            return Boolean.TRUE.equals(request(target, "is_running", null, Duration.ofSeconds(1)));
        } catch (NodeNotReachableException e) {
            return false;
        }
    }

    private Object request(GenServerRef target, String op, ExitReason reason, Duration timeout) {
        return request(target, op, reason, timeout, MARGIN);
    }

    private Object request(GenServerRef target, String op, ExitReason reason, Duration timeout, Duration margin) {
        Connection c = runtime.connection(target.nodeId())
                .orElseThrow(() -> RemoteCalls.notConnected(runtime.self(), target.nodeId()));
        RemoteReplySlot slot = new RemoteReplySlot(target.nodeId(), c.incarnation());
        long id = pending.register(slot);
        try {
            byte[] frame = runtime.encode(MessageType.CONTROL_REQUEST, (out, v) -> {
                out.packLong(id);
                out.packString(op);
                out.packString(target.id());
                v.write("reason", reason);
                out.packLong(timeout.toMillis());
            });
            Duration wait = timeout.plus(margin);
            long deadline = System.nanoTime() + wait.toNanos();
            if (!RemoteCalls.sendBy(c, frame, deadline, target.nodeId())) {
                throw new RemoteCallTimeoutException(target, wait, op + " was not sent within " + wait.toMillis()
                        + " ms: the outbound queue to its node stayed full (flow control)");
            }
            Object o = slot.await(Math.max(1, deadline - System.nanoTime()));
            if (o == OneShot.TIMED_OUT) {
                throw new RemoteCallTimeoutException(target, wait, op + " got no answer within " + wait.toMillis() + " ms");
            }
            if (o == OneShot.INTERRUPTED) {
                throw new CallInterruptedException(target);
            }
            return o;
        } finally {
            pending.take(id);
        }
    }

    private void onRequest(Connection from, WireCodec.Decoded d) throws IOException {
        var in = d.in();
        long id = in.unpackLong();
        String op = in.unpackString();
        GenServerRef target = new GenServerRef(in.unpackString(), node.nodeId());
        Object reason = d.values().read("reason");
        Duration timeout = Duration.ofMillis(Math.max(1, in.unpackLong()));
        switch (op) {
            case "is_running" -> answer(from, id, node.isRunning(target));
            case "snapshot" -> Thread.ofVirtual().start(() -> answer(from, id, snapshotSource.get()));
            case "kill" -> {
                node.kill(target);
                answer(from, id, true);
            }
            case "fence" -> {
                if (!node.isRunning(target)) {
                    answer(from, id, false);
                    return;
                }
                GenServerRef key = node.spi().canonical(node.names().whereis(target.id()).orElse(target));
                fenced.put(key, from.peer());
                node.monitor(key, (ref, why) -> fenced.remove(key));
                answer(from, id, true);
            }
            case "stop" -> Thread.ofVirtual().start(() -> {
                node.stop(target, reason instanceof ExitReason r ? r : ExitReason.normal(), timeout);
                answer(from, id, true);
            });
            default -> answer(from, id, false);
        }
    }

    private void answer(Connection to, long id, Object result) {
        to.sendAnswer(runtime.encode(MessageType.CONTROL_REPLY, (out, v) -> {
            out.packLong(id);
            v.write("result", result);
        }));
    }

    private void onReply(Connection from, WireCodec.Decoded d) throws IOException {
        long id = d.in().unpackLong();
        Object result = d.values().read("result");
        Pending p = pending.take(id);
        if (p != null && p.node().equals(from.peer())) {
            p.answer(result);
        }
    }
}
