package io.noex.distribution;

/**
 * What a send does when the connection to its node is at its outbound high-water mark
 * ({@link ClusterConfig#outboundHighWaterMark()}): the peer is slower than this node, and the
 * bytes already queued for it are as many as this node will hold. Either way nothing is lost
 * silently: a message that is not accepted is reported to the sender ({@code cast} returns false)
 * and counted ({@link ClusterMetrics#refusedSends()}).
 *
 * <table class="striped">
 *   <caption>Policies</caption>
 *   <thead><tr><th>policy</th><th>a cast at the mark</th><th>when it suits</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@link #REFUSE}</td><td>returns false at once</td><td>senders that can drop or retry
 *         (Erlang's {@code erlang:send/3} with {@code nosuspend})</td></tr>
 *     <tr><td>{@link #BLOCK}</td><td>parks the sending thread until the queue falls below the mark,
 *         then queues the message; returns false if that takes longer than
 *         {@link ClusterConfig#outboundBlockTimeout()}</td><td>producers that should slow down to
 *         the receiver's pace (Erlang suspends a sender on a busy distribution port)</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Under either policy a Netty event-loop thread never parks (it refuses at once), and calls
 * and spawns, which have deadlines of their own, wait for room until their timeout.
 */
public enum OutboundOverflow {
    /** Refuse the message at once (the default). */
    REFUSE,
    /** Park the sender until there is room, for at most the block timeout, then refuse. */
    BLOCK
}
