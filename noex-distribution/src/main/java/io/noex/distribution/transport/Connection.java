package io.noex.distribution.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.noex.NodeId;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An established, handshaken connection to one peer. {@link #send} may be called from any thread:
 * frames go into a lock-free queue, and one task on the event loop writes everything queued and
 * flushes once, so many small sends cost one wake-up and one system call (write batching). A
 * slow peer fills only its own queue; past the high-water mark {@link #send} refuses, so memory
 * stays bounded and the sender learns it at once.
 *
 * <p>Threading: {@link #send} and {@link #close} from any thread; the drain runs on the event loop.
 */
public final class Connection {

    private final Channel channel;
    private final PeerHello peer;
    private final boolean outbound;
    private final long highWaterMark;
    private final int maxFrameSize;
    private final TransportCounters counters;
    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    /** When a frame from the peer last arrived (node clock); any frame proves the peer alive. */
    private volatile long lastReceivedNanos;
    /** Frames received, event loop only: the clock is read on every 32nd frame, not each one. */
    private long framesReceived;

    Connection(Channel channel, PeerHello peer, boolean outbound, TransportConfig config, TransportCounters counters) {
        this.channel = channel;
        this.peer = peer;
        this.outbound = outbound;
        this.highWaterMark = config.writeHighWaterMark();
        this.maxFrameSize = config.maxFrameSize();
        this.counters = counters;
    }

    /** @return the peer's NodeId */
    public NodeId peer() {
        return peer.nodeId();
    }

    /** @return the peer's incarnation on this connection */
    public long incarnation() {
        return peer.incarnation();
    }

    /** @return the peer's protocol version */
    public int version() {
        return peer.version();
    }

    /** @return true if this node dialed the peer */
    public boolean outbound() {
        return outbound;
    }

    /** @return whether the connection is open */
    public boolean isOpen() {
        return channel.isActive();
    }

    /** @return the peer's socket address */
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    /** @return when a frame from the peer last arrived, on the node's clock (sampled) */
    public long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    /** Event loop only. */
    void frameReceived(java.util.function.LongSupplier clock) {
        if ((framesReceived++ & 31) == 0) {
            lastReceivedNanos = clock.getAsLong();
        }
    }

    void markReceived(long nanos) {
        lastReceivedNanos = nanos;
    }

    /** @return outbound bytes queued and not yet handed to the socket */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    /** @return true if a send now would be accepted */
    public boolean isWritable() {
        return channel.isActive() && queuedBytes.get() < highWaterMark && channel.isWritable();
    }

    /**
     * Queues a frame for the peer.
     *
     * @param frame the payload (its length prefix and signature are added on the way out)
     * @return false if the connection is closed or over its high-water mark (nothing was queued)
     * @throws IllegalArgumentException if the frame is larger than the maximum frame size
     */
    public boolean send(byte[] frame) {
        return send(frame, false);
    }

    /**
     * Queues a frame whatever the high-water mark: for answers to requests the peer made (their
     * number is bounded by the peer's own requests, and dropping one would leave a caller waiting)
     * and for control traffic (heartbeats, gossip, signals), which a flood of casts must never
     * starve.
     *
     * @param frame the payload
     * @return false if the connection is closed
     */
    public boolean sendAnswer(byte[] frame) {
        return send(frame, true);
    }

    private boolean send(byte[] frame, boolean ignoreHighWaterMark) {
        if (frame.length > maxFrameSize) {
            throw new IllegalArgumentException("frame of " + frame.length + " bytes exceeds the maximum of " + maxFrameSize);
        }
        if (!channel.isActive()) {
            return false;
        }
        if (queuedBytes.addAndGet(frame.length) > highWaterMark && !ignoreHighWaterMark
                || !channel.isWritable() && !ignoreHighWaterMark) {
            queuedBytes.addAndGet(-frame.length);
            counters.refusedSends.increment();
            return false;
        }
        queue.offer(frame);
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(drain);
        }
        return true;
    }

    private void drain() {
        drainScheduled.set(false);
        byte[] frame;
        int n = 0;
        long bytes = 0;
        while ((frame = queue.poll()) != null) {
            queuedBytes.addAndGet(-frame.length);
            channel.write(Unpooled.wrappedBuffer(frame), channel.voidPromise());
            n++;
            bytes += frame.length;
        }
        if (n > 0) {
            channel.flush();
            counters.framesOut.add(n);
            counters.bytesOut.add(bytes);
        }
    }

    /** Closes the connection; queued frames not yet written are dropped. */
    public void close() {
        channel.close();
    }

    Channel channel() {
        return channel;
    }

    @Override
    public String toString() {
        return "Connection[" + peer.nodeId() + "#" + peer.incarnation() + (outbound ? ", outbound" : ", inbound") + "]";
    }
}
