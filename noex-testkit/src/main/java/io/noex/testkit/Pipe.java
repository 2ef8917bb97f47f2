package io.noex.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of a {@link ProxiedConnection}: a reader thread {@link #offer offers} the chunks it
 * reads from the source socket, a writer thread {@link #drain drains} them into the destination
 * socket, and the link's current {@link LinkFaults.Fault} decides in between:
 * <ul>
 *   <li>delay: a chunk may be written only {@code delay} after it was read, with the delay in
 *       force when it is written (so lifting a delay releases what waits); order is kept;</li>
 *   <li>frozen: nothing is written; chunks (and the end of stream) wait in the queue;</li>
 *   <li>partitioned: chunks read are discarded, and so is what was queued; the connection is
 *       marked as having lost bytes.</li>
 * </ul>
 * A connection that lost bytes never forwards another byte, either way, even after the partition
 * is lifted: the bytes after a hole would be read as a frame boundary that is not one, or, worse,
 * land exactly on one and deliver later frames without the earlier ones, which no real TCP
 * connection does. It stays a black hole until {@link FaultProxy#heal()} resets it.
 * The queue is bounded: once it holds {@code maxBuffered} bytes the reader blocks before queueing
 * more and so stops reading, which fills the kernel's buffers and makes the sender block (TCP
 * backpressure). A frozen link therefore holds at most {@code maxBuffered} plus one chunk.
 *
 * <p>Threading: one reader thread and one writer thread; {@link #close}, {@link #faultsChanged} and
 * {@link #queuedBytes} from any thread. State is guarded by {@code lock}, never held while doing I/O.
 */
final class Pipe {

    /** Bytes read per chunk. */
    static final int CHUNK = 64 * 1024;

    private record Chunk(byte[] bytes, long readNanos) {
    }

    /** Returned by {@link #take} once the end of the stream is due (or the pipe closed). */
    private static final Chunk END = new Chunk(new byte[0], 0);

    private final ProxiedConnection connection;
    private final long maxBuffered;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private long queued;
    private boolean eof;
    private boolean closed;

    Pipe(ProxiedConnection connection, long maxBuffered) {
        this.connection = connection;
        this.maxBuffered = maxBuffered;
    }

    /**
     * Reads the source to its end, offering each chunk. Reader thread.
     *
     * @param in the source
     * @throws IOException if reading fails (a reset, or the connection was closed)
     */
    void pump(InputStream in) throws IOException {
        byte[] buf = new byte[CHUNK];
        int n;
        while ((n = in.read(buf)) >= 0) {
            offer(buf, n);
        }
        endOfStream();
    }

    /** Queues a copy of {@code data[0..length)} under the link's faults; blocks while the queue is full. */
    void offer(byte[] data, int length) {
        if (length == 0) {
            return;
        }
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    return;
                }
                LinkFaults.Fault fault = connection.fault();
                if (fault.partitioned() || connection.lostBytes()) {
                    connection.markLost(length);
                    return;
                }
                if (queued < maxBuffered) {
                    break;
                }
                changed.awaitUninterruptibly();
            }
            queue.add(new Chunk(Arrays.copyOf(data, length), System.nanoTime()));
            queued += length;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The source ended: once the queue is written, the destination's output is shut down. */
    void endOfStream() {
        lock.lock();
        try {
            eof = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes chunks as the faults allow until the end of the stream is due. Writer thread.
     *
     * @param out the destination
     * @return true when the end of the stream is due; false if the pipe was closed first
     * @throws IOException if writing fails
     */
    boolean drain(OutputStream out) throws IOException {
        while (true) {
            Chunk c = take();
            if (c == END) {
                lock.lock();
                try {
                    return !closed;
                } finally {
                    lock.unlock();
                }
            }
            out.write(c.bytes());
        }
    }

    private Chunk take() {
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    return END;
                }
                LinkFaults.Fault fault = connection.fault();
                if (fault.partitioned() || connection.lostBytes()) {
                    if (!queue.isEmpty()) {
                        queue.clear();
                        connection.markLost((int) Math.min(Integer.MAX_VALUE, queued));
                        queued = 0;
                        changed.signalAll();
                    }
                    changed.awaitUninterruptibly();
                    continue;
                }
                if (fault.frozen()) {
                    changed.awaitUninterruptibly();
                    continue;
                }
                Chunk head = queue.peek();
                if (head == null) {
                    if (eof) {
                        return END;
                    }
                    changed.awaitUninterruptibly();
                    continue;
                }
                long wait = head.readNanos() + fault.delay().toNanos() - System.nanoTime();
                if (wait > 0) {
                    try {
                        changed.await(wait, TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return END;
                    }
                    continue;
                }
                queue.poll();
                queued -= head.bytes().length;
                changed.signalAll();
                return head;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes both threads to re-read the faults. */
    void faultsChanged() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Discards what is queued and releases both threads. */
    void close() {
        lock.lock();
        try {
            closed = true;
            queue.clear();
            queued = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return the bytes read but not yet written */
    long queuedBytes() {
        lock.lock();
        try {
            return queued;
        } finally {
            lock.unlock();
        }
    }
}
