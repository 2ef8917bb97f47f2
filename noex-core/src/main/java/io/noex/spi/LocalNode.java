package io.noex.spi;

import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.MonitorRef;
import io.noex.NodeId;
import io.noex.time.Scheduler;

/**
 * A node as the distribution layer sees it: how it takes on a cluster identity, installs its
 * router, and receives what arrives from other nodes. Obtained with {@code Node.spi()}.
 *
 * <p>Threading: every method is thread-safe and non-blocking (safe on a network I/O thread).
 */
public interface LocalNode {

    /** @return the node's current NodeId */
    NodeId nodeId();

    /**
     * @param id a NodeId
     * @return true if it names this node (its current identity, its placeholder, or an identity
     *     it had in an earlier cluster life)
     */
    boolean isLocal(NodeId id);

    /**
     * Takes on a cluster identity; refs handed out under earlier identities stay local.
     *
     * @param id the cluster NodeId
     */
    void assumeIdentity(NodeId id);

    /** Goes back to the placeholder identity (the cluster stopped). */
    void releaseIdentity();

    /**
     * @param router where operations on remote refs go; null restores the no-cluster router
     */
    void installRouter(RemoteRouter router);

    /** @return the number of live processes */
    int processCount();

    /** @return the node's clock and timer */
    Scheduler scheduler();

    /**
     * @param ref a ref
     * @return the same process under this node's current identity if {@code ref} names this node
     *     under an older one (so peers can address it); otherwise {@code ref}
     */
    GenServerRef canonical(GenServerRef ref);

    /**
     * Delivers a call from another node.
     *
     * @param target a local process, by id or name
     * @param msg the request
     * @param from where the answer goes
     * @return false if the target is not running (nothing was queued; {@code from} is untouched)
     */
    boolean deliverCall(GenServerRef target, Object msg, ReplySink from);

    /**
     * @param target a local process
     * @param msg a cast from another node
     * @return false if the target is not running
     */
    boolean deliverCast(GenServerRef target, Object msg);

    /**
     * @param target a local process
     * @param msg an info message from another node
     * @return false if the target is not running
     */
    boolean deliverSend(GenServerRef target, Object msg);

    /**
     * Lets another node monitor a local process.
     *
     * @param target the local process
     * @param listener told once when the target exits
     * @return the monitor's id on this node (ids chosen by other nodes could collide), or empty
     *     if the target is not running (the caller reports {@code noproc})
     */
    java.util.Optional<MonitorRef> watch(GenServerRef target, DownListener listener);

    /**
     * @param target the local process
     * @param monitor the remote monitor to remove
     */
    void unwatch(GenServerRef target, MonitorRef monitor);

    /**
     * Adds the local half of a link requested by a remote process.
     *
     * @param local the local process, by id or name
     * @param remote the remote process
     * @return the local process's own ref (by id), or empty if it is not running
     */
    java.util.Optional<GenServerRef> linkRemote(GenServerRef local, GenServerRef remote);

    /**
     * @param local the local process
     * @param remote the remote process whose link is removed
     */
    void unlinkRemote(GenServerRef local, GenServerRef remote);

    /**
     * An exit signal from a linked remote process (or its lost node, reason {@code noconnection}).
     *
     * @param from the remote process
     * @param to the local process
     * @param reason why {@code from} exited
     */
    void exitSignal(GenServerRef from, GenServerRef to, ExitReason reason);
}
