package io.noex.distribution.remote;

import io.noex.CallInterruptedException;
import io.noex.GenServerRef;
import io.noex.NoexException;
import io.noex.NodeId;
import io.noex.NodeNotReachableException;
import io.noex.ServerNotRunningException;
import io.noex.distribution.MessageSerializationException;
import io.noex.distribution.RemoteCallTimeoutException;
import io.noex.distribution.cluster.ClusterRuntime;
import io.noex.distribution.serialization.MessageType;
import io.noex.distribution.serialization.WireCodec;
import io.noex.distribution.transport.Connection;
import io.noex.spi.LocalNode;
import io.noex.spi.OneShot;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.msgpack.core.MessageUnpacker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls, casts and sends to processes on other nodes, both ends of them.
 *
 * <p>Wire bodies:
 * <pre>
 *   CALL        [callId, target id or name, timeout ms, msg]
 *   CALL_REPLY  [callId, reply]
 *   CALL_ERROR  [callId, kind, message, details]        (see CallErrors)
 *   CAST, SEND  [target id or name, msg]
 * </pre>
 *
 * <p>A call ends exactly once: with its reply, its failure, its timeout, or (at once) the loss of
 * the connection it went on. A request is encoded before anything is sent, so an unserializable
 * argument fails at the caller with nothing on the wire. Casts to a node that is not connected,
 * or that flow control refuses (see {@link Connection}), are dropped and counted ({@code cast}
 * returns false); calls wait for room at the high-water mark until their deadline.
 *
 * <p>Threading: the sending methods run on caller threads (calls block); the handlers run on event
 * loops and never block: a request is decoded there and queued in the target's mailbox.
 */
final class RemoteCalls {

    private static final Logger log = LoggerFactory.getLogger(RemoteCalls.class);
    /** A peer sending types this node lacks would flood the log; each one is counted regardless. */
    private static final long UNDECODABLE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ClusterRuntime runtime;
    private final LocalNode node;
    private final PendingRequests pending;
    private final RemoteCounters counters;
    /** What each pending call asked, so a failure can name the target and the message. */
    private record Request(GenServerRef target, Object msg) {
    }

    private final ConcurrentHashMap<Long, Request> requests = new ConcurrentHashMap<>();
    /** When the next undecodable request may be logged (node clock). */
    private final AtomicLong nextUndecodableLog;

    RemoteCalls(ClusterRuntime runtime, PendingRequests pending, RemoteCounters counters) {
        this.runtime = runtime;
        this.node = runtime.node();
        this.pending = pending;
        this.counters = counters;
        this.nextUndecodableLog = new AtomicLong(node.scheduler().nanoTime());
    }

    void register() {
        runtime.onMessage(MessageType.CALL, this::onCall);
        runtime.onMessage(MessageType.CALL_REPLY, this::onReply);
        runtime.onMessage(MessageType.CALL_ERROR, this::onError);
        runtime.onMessage(MessageType.CAST, (c, d) -> onCast(c, d, false));
        runtime.onMessage(MessageType.SEND, (c, d) -> onCast(c, d, true));
    }

    // ================================================================== caller side

    Object call(GenServerRef target, Object msg, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Connection c = connected(target.nodeId());
        RemoteReplySlot slot = new RemoteReplySlot(target.nodeId(), c.incarnation());
        long id = pending.register(slot);
        requests.put(id, new Request(target, msg));
        try {
            byte[] frame = encodeCall(id, target, msg, timeout);
            sendWithin(c, frame, deadline, target, timeout);
            Object o = slot.await(Math.max(1, deadline - System.nanoTime()));
            if (o == OneShot.TIMED_OUT) {
                pending.take(id);
                counters.callTimeouts.increment();
                throw new RemoteCallTimeoutException(target, timeout);
            }
            if (o == OneShot.INTERRUPTED) {
                pending.take(id);
                throw new CallInterruptedException(target);
            }
            return o;
        } catch (RuntimeException e) {
            pending.take(id);
            throw e;
        } finally {
            requests.remove(id);
        }
    }

    CompletableFuture<Object> callAsync(GenServerRef target, Object msg, Duration timeout) {
        Connection c;
        try {
            c = connected(target.nodeId());
        } catch (NoexException e) {
            return CompletableFuture.failedFuture(e);
        }
        AsyncReply reply = new AsyncReply(target.nodeId(), c.incarnation());
        long id = pending.register(reply);
        requests.put(id, new Request(target, msg));
        reply.whenComplete((v, e) -> requests.remove(id));
        try {
            byte[] frame = encodeCall(id, target, msg, timeout);
            // The cast policy applies (an async caller asked not to wait), but never past the call's timeout.
            if (!c.send(frame, Math.min(c.sendBlockNanos(), timeout.toNanos()))) {
                throw c.isOpen()
                        ? new RemoteCallTimeoutException(target, timeout,
                                "was not sent: the outbound queue to its node is full (flow control)")
                        : new NodeNotReachableException(target.nodeId(), "its connection closed");
            }
        } catch (NoexException e) {
            pending.take(id);
            reply.fail(e);
            return reply;
        }
        reply.timeoutWith(node.scheduler().schedule(() -> {
            if (pending.take(id) != null) {
                counters.callTimeouts.increment();
                reply.fail(new RemoteCallTimeoutException(target, timeout));
            }
        }, timeout));
        return reply;
    }

    /** @return false if the message was dropped (node not connected, or its queue full) */
    boolean cast(GenServerRef target, Object msg, boolean info) {
        byte[] frame = runtime.encode(info ? MessageType.SEND : MessageType.CAST, (out, v) -> {
            out.packString(target.id());
            v.write("msg", msg);
        });
        if (runtime.send(target.nodeId(), frame)) {
            return true;
        }
        counters.droppedCasts.increment();
        return false;
    }

    private Connection connected(NodeId nodeId) {
        return runtime.connection(nodeId).orElseThrow(() -> notConnected(runtime.self(), nodeId));
    }

    /**
     * The failure of a request to a node this one has no connection to. A NodeId with this node's
     * name but another address (a wrong port, typically) is most likely a mistake for this node,
     * so the message says so; it is still another NodeId, and may be another node.
     *
     * @param self this node
     * @param target the node asked for
     * @return the exception to throw
     */
    static NodeNotReachableException notConnected(NodeId self, NodeId target) {
        String hint = target.name().equals(self.name()) && !target.equals(self)
                ? " (it has this node's name, but this node is " + self + ": check the host and port)"
                : "";
        return new NodeNotReachableException(target, "not connected to " + self + hint);
    }

    private byte[] encodeCall(long id, GenServerRef target, Object msg, Duration timeout) {
        return runtime.encode(MessageType.CALL, (out, v) -> {
            out.packLong(id);
            out.packString(target.id());
            out.packLong(timeout.toMillis());
            v.write("msg", msg);
        });
    }

    /**
     * A call waits (until its deadline, whatever the cast policy) for room at the high-water mark
     * rather than being dropped: it has a timeout of its own, and its caller waits anyway.
     */
    private void sendWithin(Connection c, byte[] frame, long deadline, GenServerRef target, Duration timeout) {
        if (!sendBy(c, frame, deadline, target.nodeId())) {
            counters.callTimeouts.increment();
            throw new RemoteCallTimeoutException(target, timeout,
                    "was not sent: the outbound queue to its node stayed full (flow control)");
        }
    }

    /**
     * Sends a request frame, waiting for room at the high-water mark until {@code deadline}: every
     * request (call, spawn, control) waits so, whatever the cast policy, since its sender waits for
     * the answer anyway.
     *
     * @return false if the outbound queue stayed full until the deadline (the caller's timeout)
     * @throws NodeNotReachableException if the connection closed
     */
    static boolean sendBy(Connection c, byte[] frame, long deadline, NodeId node) {
        if (c.send(frame, deadline - System.nanoTime())) {
            return true;
        }
        if (!c.isOpen()) {
            throw new NodeNotReachableException(node, "its connection closed");
        }
        return false;
    }

    // ================================================================== serving side

    private void onCall(Connection from, WireCodec.Decoded d) throws IOException {
        MessageUnpacker in = d.in();
        long id = in.unpackLong();
        String targetId = in.unpackString();
        in.unpackLong(); // the caller's timeout: informational
        RemoteReplySink sink = new RemoteReplySink(runtime, from, id);
        GenServerRef target = new GenServerRef(targetId, node.nodeId());
        Object msg;
        try {
            msg = d.values().read("msg");
        } catch (MessageSerializationException e) {
            undecodable(from, "a call", "answered with the error", e);
            sink.fail(e);
            return;
        }
        counters.callsServed.increment();
        if (!node.deliverCall(target, msg, sink)) {
            sink.fail(new ServerNotRunningException(target));
        }
    }

    /**
     * Counts a request this node cannot decode (typically a message type registered on the sender
     * but not here) and logs it, at most once per interval.
     */
    private void undecodable(Connection from, String what, String outcome, MessageSerializationException e) {
        counters.undecodableRequests.increment();
        long now = node.scheduler().nanoTime();
        long next = nextUndecodableLog.get();
        if (now - next >= 0 && nextUndecodableLog.compareAndSet(next, now + UNDECODABLE_LOG_INTERVAL_NANOS)) {
            log.warn("{}: {} from {} could not be decoded and was {}: {} (every such request is counted in"
                    + " undecodableRequests; this is logged at most every 10 s)", runtime.self(), what, from.peer(),
                    outcome, e.getMessage());
        }
    }

    private void onReply(Connection from, WireCodec.Decoded d) throws IOException {
        long id = d.in().unpackLong();
        Pending p = takeFrom(from, id);
        if (p == null) {
            return;
        }
        try {
            p.answer(d.values().read("reply"));
        } catch (MessageSerializationException e) {
            p.fail(e); // the reply decodes to something this node cannot build
        }
    }

    private void onError(Connection from, WireCodec.Decoded d) throws IOException {
        long id = d.in().unpackLong();
        Request request = requests.get(id);
        Pending p = takeFrom(from, id);
        if (p == null) {
            return;
        }
        GenServerRef target = request != null ? request.target() : new GenServerRef("<unknown>", from.peer());
        p.fail(CallErrors.read(d.in(), d.values(), target, request != null ? request.msg() : "?"));
    }

    /** @return the pending request {@code id}, if it exists and went to this connection's node */
    private Pending takeFrom(Connection from, long id) {
        Pending p = pending.take(id);
        if (p == null) {
            counters.lateReplies.increment(); // the caller gave up (timeout) or never asked
            return null;
        }
        if (!p.node().equals(from.peer())) {
            counters.misdirectedReplies.increment();
            p.fail(new NodeNotReachableException(p.node(), "an answer for this request came from " + from.peer()));
            return null;
        }
        return p;
    }

    private void onCast(Connection from, WireCodec.Decoded d, boolean info) throws IOException {
        String targetId = d.in().unpackString();
        Object msg;
        try {
            msg = d.values().read("msg");
        } catch (MessageSerializationException e) {
            undecodable(from, info ? "a send" : "a cast", "dropped", e);
            return;
        }
        GenServerRef target = new GenServerRef(targetId, node.nodeId());
        boolean delivered = info ? node.deliverSend(target, msg) : node.deliverCast(target, msg);
        if (!delivered) {
            counters.droppedCasts.increment();
        }
    }
}
