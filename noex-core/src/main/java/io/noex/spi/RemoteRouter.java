package io.noex.spi;

import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.MonitorRef;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Where a node sends operations on refs that live on other nodes. Layer 0 defines it and never
 * implements the network part; the distribution layer installs an implementation when a cluster
 * starts. Without one, every remote operation fails with
 * {@link io.noex.NodeNotReachableException}.
 *
 * <p>Threading: called from process threads and from ordinary application threads; blocking is
 * allowed only in {@link #call}.
 */
public interface RemoteRouter {

    /**
     * Calls a remote process and waits for the answer.
     *
     * @param target the remote process
     * @param msg the request
     * @param timeout how long to wait
     * @return the reply
     */
    Object call(GenServerRef target, Object msg, Duration timeout);

    /**
     * Calls a remote process without blocking.
     *
     * @param target the remote process
     * @param msg the request
     * @param timeout how long before the future fails with a timeout
     * @return the future reply
     */
    CompletableFuture<Object> callAsync(GenServerRef target, Object msg, Duration timeout);

    /**
     * @param target the remote process
     * @param msg the cast
     * @return true if the message was handed to a connection
     */
    boolean cast(GenServerRef target, Object msg);

    /**
     * @param target the remote process
     * @param msg the info message
     * @return true if the message was handed to a connection
     */
    boolean send(GenServerRef target, Object msg);

    /**
     * Monitors a remote process; {@code listener} fires exactly once (with {@code noconnection}
     * if the node is lost), unless {@link #demonitor} is called first.
     *
     * @param monitor the monitor's id
     * @param target the remote process
     * @param listener told when it exits
     */
    void monitor(MonitorRef monitor, GenServerRef target, DownListener listener);

    /**
     * @param monitor the monitor to remove
     * @param target the process it watched
     */
    void demonitor(MonitorRef monitor, GenServerRef target);

    /**
     * Asks the remote side to add its half of a link; the local half is already recorded.
     *
     * @param local the local process
     * @param remote the remote process
     */
    void link(GenServerRef local, GenServerRef remote);

    /**
     * @param local the local process
     * @param remote the remote process
     */
    void unlink(GenServerRef local, GenServerRef remote);

    /**
     * Sends the exit signal of a local process to a linked remote one.
     *
     * @param from the local process that exited
     * @param to the linked remote process
     * @param reason why it exited
     */
    void exitSignal(GenServerRef from, GenServerRef to, ExitReason reason);

    /**
     * Stops a remote process: {@code terminate} runs there, and this returns once it has exited
     * (or was killed after {@code timeout}). A process that is not running is a no-op.
     *
     * @param target the remote process
     * @param reason the exit reason
     * @param timeout how long it may take before it is killed
     */
    void stop(GenServerRef target, ExitReason reason, Duration timeout);

    /**
     * Kills a remote process at once (reason {@code killed}, no {@code terminate}).
     *
     * @param target the remote process
     */
    void kill(GenServerRef target);

    /**
     * @param target the remote process
     * @return whether it is running; false if its node is not reachable
     */
    boolean isRunning(GenServerRef target);
}
