package io.noex.distribution;

import io.noex.GenServer;
import io.noex.GenServerRef;
import io.noex.Node;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Calls and casts to a process on any node, local or remote, with the same API ({@link GenServer}
 * routes remote refs here by itself; this is the seed's name for it).
 *
 * <p>A call ends in exactly one of: the reply; {@link RemoteCallTimeoutException};
 * {@link RemoteServerNotRunningException}; {@link io.noex.NodeNotReachableException} (not
 * connected, or the node went down while the call was pending: at once, not at the timeout);
 * {@link RemoteCallException} (the remote handler threw: its class, message and stack);
 * {@link MessageSerializationException} (at the sender, before anything is sent, or as reported
 * by the receiver). Messages from one process to another arrive in the order sent.
 */
public final class RemoteCall {

    private RemoteCall() {
    }

    /**
     * @param ref the process, by id or registered name, on any node
     * @param msg the request
     * @param <T> the reply type
     * @return the reply (default timeout 5 s)
     */
    public static <T> T call(GenServerRef ref, Object msg) {
        return Node.current().call(ref, msg);
    }

    /**
     * @param ref the process, on any node
     * @param msg the request
     * @param timeout how long to wait
     * @param <T> the reply type
     * @return the reply
     */
    public static <T> T call(GenServerRef ref, Object msg, Duration timeout) {
        return Node.current().call(ref, msg, timeout);
    }

    /**
     * @param ref the process, on any node
     * @param msg the request
     * @param <T> the reply type
     * @return a future of the reply (default timeout 5 s)
     */
    public static <T> CompletableFuture<T> callAsync(GenServerRef ref, Object msg) {
        return Node.current().callAsync(ref, msg);
    }

    /**
     * @param ref the process, on any node
     * @param msg the request
     * @param timeout when the future fails with a timeout
     * @param <T> the reply type
     * @return a future of the reply
     */
    public static <T> CompletableFuture<T> callAsync(GenServerRef ref, Object msg, Duration timeout) {
        return Node.current().callAsync(ref, msg, timeout);
    }

    /**
     * Sends a cast. Like Erlang, a cast to an unreachable node is dropped (and counted). Flow
     * control ({@link ClusterConfig} {@code outboundHighWaterMark}, {@link OutboundOverflow}): when
     * the connection to the node holds as many bytes as its high-water mark, the cast is refused
     * at once ({@link OutboundOverflow#REFUSE}, the default) or this thread waits for room, up to
     * the block timeout ({@link OutboundOverflow#BLOCK}); a refused cast returns false and is
     * counted in {@link ClusterMetrics#refusedSends()} and {@link ClusterMetrics#droppedCasts()}.
     * Nothing accepted is lost while the connection lives.
     *
     * @param ref the process, on any node
     * @param msg the request
     * @return true if the message was queued locally or handed to the connection to its node;
     *     false if it was dropped (no such local process, node not connected, or refused by flow
     *     control)
     * @throws MessageSerializationException if {@code msg} cannot be sent (nothing is sent)
     */
    public static boolean cast(GenServerRef ref, Object msg) {
        return cast(Node.current(), ref, msg);
    }

    /**
     * {@link #cast(GenServerRef, Object)} from a given node (for several nodes in one JVM).
     *
     * @param from the sending node
     * @param ref the process
     * @param msg the request
     * @return whether it was queued or handed to a connection
     */
    public static boolean cast(Node from, GenServerRef ref, Object msg) {
        if (from.isLocal(ref.nodeId())) {
            return from.spi().deliverCast(ref, msg);
        }
        return ClusterMembership.of(from).remote().map(r -> r.cast(ref, msg)).orElse(false);
    }
}
