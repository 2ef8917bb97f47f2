package io.noex.distribution.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.concurrent.EventExecutor;
import io.noex.NodeId;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An established, handshaken connection to one peer. {@link #send} may be called from any thread:
 * frames go into a lock-free queue, and one task on the event loop writes everything queued and
 * flushes once, so many small sends cost one wake-up and one system call (write batching).
 *
 * <h2>Flow control</h2>
 * A slow peer fills only its own connection. The connection's outbound bytes are those in its
 * queue plus those Netty holds and has not yet written to the socket ({@link #queuedBytes()}, each
 * frame counted with a fixed overhead); a send is accepted while they are below the high-water
 * mark, so they never exceed the mark by more than the one frame that crossed it (and the answers
 * and control frames that bypass it, see {@link #sendAnswer}). Past the mark a send is refused at once, or, with a block timeout
 * ({@link TransportConfig#sendBlockTimeout()}), parks its thread until the bytes drop below the mark
 * or the timeout passes. Every refusal is counted ({@link TransportCounters#refusedSends()}).
 * An event-loop thread never parks (it may be the very thread that must write the queue out): a
 * send there that finds no room is refused at once.
 *
 * <p>Threading: {@link #send} and {@link #close} from any thread; the drain runs on the event loop.
 */
public final class Connection {

    /**
     * How often a parked sender looks again without being woken: Netty reports only when its
     * buffer falls below its low-water mark, so a sender waiting in the band between that and the
     * high-water mark would otherwise sleep until the mark, or the timeout.
     */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /**
     * What a frame costs besides its payload, as Netty counts its outbound buffer: two buffers
     * (length prefix and payload, about 96 bytes of bookkeeping each), the 4-byte prefix and a
     * 32-byte signature, rounded up. A queued frame is counted at this cost from the start, so
     * handing it to Netty never makes the total grow.
     */
    static final int FRAME_OVERHEAD = 256;

    private final Channel channel;
    private final PeerHello peer;
    private final boolean outbound;
    private final long highWaterMark;
    private final long blockNanos;
    private final int maxFrameSize;
    private final TransportCounters counters;
    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    /** Odd while the drain hands frames to Netty (each counted in both places for an instant). */
    private volatile int handing;
    /** Senders parked for room (only with a block timeout, or a request waiting for its deadline). */
    private final ConcurrentLinkedQueue<Thread> parked = new ConcurrentLinkedQueue<>();
    /** When a frame from the peer last arrived (node clock); any frame proves the peer alive. */
    private volatile long lastReceivedNanos;
    /** Frames received, event loop only: the clock is read on every 32nd frame, not each one. */
    private long framesReceived;

    Connection(Channel channel, PeerHello peer, boolean outbound, TransportConfig config, TransportCounters counters) {
        this.channel = channel;
        this.peer = peer;
        this.outbound = outbound;
        this.highWaterMark = config.writeHighWaterMark();
        this.blockNanos = config.sendBlockTimeout().toNanos();
        this.maxFrameSize = config.maxFrameSize();
        this.counters = counters;
        channel.closeFuture().addListener(f -> wakeParked()); // a parked sender learns of the close at once
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

    /**
     * @return outbound bytes not yet written to the socket: those in this connection's queue plus
     *     those in Netty's outbound buffer (which adds a small bookkeeping overhead per buffer)
     */
    public long queuedBytes() {
        while (true) {
            int before = handing;
            if ((before & 1) == 0) {
                long total = queuedBytes.get() + nettyPending();
                if (handing == before) {
                    return total;
                }
            }
            Thread.onSpinWait(); // a drain is moving frames; it takes microseconds
        }
    }

    /** @return how long {@link #send(byte[])} waits for room at the high-water mark (0: it refuses at once) */
    public long sendBlockNanos() {
        return blockNanos;
    }

    /** @return true if a send now would be accepted without waiting */
    public boolean isWritable() {
        return channel.isActive() && queuedBytes() < highWaterMark;
    }

    /**
     * Queues a frame for the peer, as flow control allows: below the high-water mark at once;
     * past it, refused, or first waiting for room up to the transport's block timeout (see the
     * class comment).
     *
     * @param frame the payload (its length prefix and signature are added on the way out)
     * @return false if the connection is closed, or the mark was reached (and stayed so for the
     *     block timeout); nothing was queued then
     * @throws IllegalArgumentException if the frame is larger than the maximum frame size
     */
    public boolean send(byte[] frame) {
        return send(frame, blockNanos);
    }

    /**
     * Queues a frame, waiting up to {@code maxWaitNanos} for room past the high-water mark,
     * whatever the configured policy: for requests (calls, spawns), which would rather wait until
     * their own deadline than fail at once. On an event-loop thread it never waits.
     *
     * @param frame the payload
     * @param maxWaitNanos the longest wait for room; 0 or less refuses at once
     * @return false if the connection is closed, or there was no room in time (nothing was queued)
     * @throws IllegalArgumentException if the frame is larger than the maximum frame size
     */
    public boolean send(byte[] frame, long maxWaitNanos) {
        if (frame.length > maxFrameSize) {
            throw new IllegalArgumentException("frame of " + frame.length + " bytes exceeds the maximum of " + maxFrameSize);
        }
        if (!channel.isActive()) {
            return false;
        }
        if (reserve(frame.length)) {
            enqueue(frame);
            return true;
        }
        return maxWaitNanos > 0 ? awaitRoom(frame, maxWaitNanos) : refuse();
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
        if (frame.length > maxFrameSize) {
            throw new IllegalArgumentException("frame of " + frame.length + " bytes exceeds the maximum of " + maxFrameSize);
        }
        if (!channel.isActive()) {
            return false;
        }
        queuedBytes.addAndGet(frame.length + FRAME_OVERHEAD);
        enqueue(frame);
        return true;
    }

    /**
     * Takes room for {@code length} bytes if the connection's outbound bytes were below the mark.
     * The fast path is one atomic add and the same buffer read {@code Channel.isWritable()} does.
     */
    private boolean reserve(int length) {
        long cost = length + FRAME_OVERHEAD;
        long before = queuedBytes.getAndAdd(cost);
        if (before + nettyPending() < highWaterMark) {
            return true;
        }
        queuedBytes.addAndGet(-cost);
        return false;
    }

    private long nettyPending() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes(); // null once closed
    }

    private void enqueue(byte[] frame) {
        queue.offer(frame);
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(drain);
        }
    }

    private boolean refuse() {
        counters.refusedSends.increment();
        return false;
    }

    /** The slow path: parks until there is room, the connection closes, or the wait is over. */
    private boolean awaitRoom(byte[] frame, long maxWaitNanos) {
        if (onEventLoop()) {
            return refuse(); // parking an event loop could stall the very drain it waits for
        }
        long deadline = System.nanoTime() + maxWaitNanos;
        Thread me = Thread.currentThread();
        // Registered before the next look at the room, so a wake-up between the two is not lost.
        parked.add(me);
        try {
            while (true) {
                if (!channel.isActive()) {
                    return false;
                }
                if (reserve(frame.length)) {
                    enqueue(frame);
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || me.isInterrupted()) {
                    return refuse();
                }
                LockSupport.parkNanos(this, Math.min(left, RECHECK_NANOS));
            }
        } finally {
            parked.remove(me);
        }
    }

    /** @return true on any event-loop thread of this transport (each serves many connections) */
    private boolean onEventLoop() {
        for (EventExecutor loop : channel.eventLoop().parent()) {
            if (loop.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /** Netty's buffer fell below its low-water mark, or the channel closed: parked senders look again. */
    void wakeParked() {
        for (Thread t : parked) {
            LockSupport.unpark(t);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        byte[] frame;
        int n = 0;
        long bytes = 0;
        handing++; // single writer: the event loop
        try {
            while ((frame = queue.poll()) != null) {
                // Written first, uncounted after: a sender may count a frame twice for a moment,
                // never zero times, so it cannot slip past the mark.
                channel.write(Unpooled.wrappedBuffer(frame), channel.voidPromise());
                queuedBytes.addAndGet(-(frame.length + FRAME_OVERHEAD));
                n++;
                bytes += frame.length;
            }
        } finally {
            handing++;
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
