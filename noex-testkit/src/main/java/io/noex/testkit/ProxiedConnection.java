package io.noex.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection through a {@link FaultProxy}: the accepted socket, a socket to the target,
 * and a {@link Pipe} each way. The first frame from the client is parsed to learn which node
 * dialed ({@link HelloFrames}); it is forwarded unchanged like every other byte, but only once the
 * dialer is known, so that the faults for that node already apply to it. The target-to-client
 * direction waits for the same moment (at most {@link #IDENTIFY_TIMEOUT}; a client that does not
 * speak first is then treated as unidentified).
 *
 * <p>An end of stream is passed on as a half-close once everything before it was written; when
 * both directions have ended, both sockets close. A read or write error closes both sockets with
 * a reset.
 *
 * <p>Threading: four virtual threads (a reader and a writer each way); {@link #close},
 * {@link #fault} and the queries from any thread.
 */
final class ProxiedConnection {

    private static final Logger log = LoggerFactory.getLogger(ProxiedConnection.class);

    /** How long the first frame may take before the connection is treated as unidentified. */
    static final Duration IDENTIFY_TIMEOUT = Duration.ofSeconds(1);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final FaultProxy proxy;
    private final Socket client;
    private final String label;
    private final Pipe toTarget;
    private final Pipe toClient;
    private final CountDownLatch identified = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger ended = new AtomicInteger();
    private volatile Socket target;
    private volatile Optional<String> dialer = Optional.empty();
    private volatile Optional<String> dialerName = Optional.empty();
    private volatile boolean lost;

    ProxiedConnection(FaultProxy proxy, Socket client, long maxBuffered, String label) {
        this.proxy = proxy;
        this.client = client;
        this.label = label;
        this.toTarget = new Pipe(this, maxBuffered);
        this.toClient = new Pipe(this, maxBuffered);
    }

    /** Connects to the target and starts forwarding; runs the client reader on the calling thread. */
    void run() {
        try {
            Socket t = new Socket();
            target = t;
            if (closed.get()) {
                t.close();
                return;
            }
            t.setTcpNoDelay(true);
            t.connect(proxy.target(), (int) CONNECT_TIMEOUT.toMillis());
            client.setTcpNoDelay(true);
        } catch (IOException e) {
            log.debug("{}: cannot reach the target {}: {}", label, proxy.target(), e.toString());
            close(true);
            return;
        }
        Thread.ofVirtual().name(label + "-to-target-writer").start(() -> writer(toTarget, target));
        Thread.ofVirtual().name(label + "-to-client-reader").start(this::targetReader);
        Thread.ofVirtual().name(label + "-to-client-writer").start(() -> writer(toClient, client));
        clientReader();
    }

    private void clientReader() {
        try {
            InputStream in = client.getInputStream();
            if (!identify(in)) {
                toTarget.endOfStream();
                return;
            }
            toTarget.pump(in);
        } catch (IOException e) {
            failed("reading from the client", e);
        }
    }

    /**
     * Reads until the first frame is complete (or cannot be a hello), records the dialer, and
     * offers what it read.
     *
     * @return false if the client's stream ended meanwhile
     */
    private boolean identify(InputStream in) throws IOException {
        byte[] buf = new byte[Pipe.CHUNK];
        int have = 0;
        boolean open = true;
        client.setSoTimeout((int) IDENTIFY_TIMEOUT.toMillis());
        try {
            while (true) {
                int length = HelloFrames.frameLength(buf, have);
                if (length < 0) {
                    break;
                }
                if (length > 0 && have >= 4 + length) {
                    dialer = HelloFrames.nodeId(buf, length);
                    dialerName = dialer.map(LinkFaults::nodeName);
                    break;
                }
                int n = in.read(buf, have, buf.length - have);
                if (n < 0) {
                    open = false;
                    break;
                }
                have += n;
            }
        } catch (SocketTimeoutException e) {
            log.debug("{}: no complete first frame within {}; unidentified", label, IDENTIFY_TIMEOUT);
        } finally {
            identified.countDown();
        }
        client.setSoTimeout(0);
        log.debug("{}: dialed by {}", label, dialer.orElse("an unidentified client"));
        toTarget.offer(buf, have);
        return open;
    }

    private void targetReader() {
        try {
            identified.await(IDENTIFY_TIMEOUT.toMillis() + 100, TimeUnit.MILLISECONDS);
            toClient.pump(target.getInputStream());
        } catch (IOException e) {
            failed("reading from the target", e);
        } catch (InterruptedException e) {
            close(true);
        }
    }

    private void writer(Pipe pipe, Socket to) {
        try {
            if (pipe.drain(to.getOutputStream())) {
                to.shutdownOutput();
                if (ended.incrementAndGet() == 2) {
                    close(false);
                }
            }
        } catch (IOException e) {
            failed("writing", e);
        }
    }

    private void failed(String what, IOException e) {
        if (!closed.get()) {
            log.debug("{}: {} failed: {}", label, what, e.toString());
        }
        close(true);
    }

    /** @return the faults that apply to this connection now */
    LinkFaults.Fault fault() {
        return proxy.faults().forPeer(dialerName);
    }

    /** Bytes were discarded by a partition: the stream is broken for good. */
    void markLost(int bytes) {
        lost = true;
        proxy.discarded(bytes);
    }

    /** @return true if a partition discarded any of this connection's bytes */
    boolean lostBytes() {
        return lost;
    }

    /** @return the NodeId string the client's hello named, if it sent one */
    Optional<String> dialer() {
        return dialer;
    }

    /** @return the dialer's node name, if identified */
    Optional<String> dialerName() {
        return dialerName;
    }

    /** @return bytes buffered in both directions */
    long bufferedBytes() {
        return toTarget.queuedBytes() + toClient.queuedBytes();
    }

    void faultsChanged() {
        toTarget.faultsChanged();
        toClient.faultsChanged();
    }

    /**
     * Closes both sockets and releases the threads. Idempotent.
     *
     * @param reset true to reset both TCP connections (RST, like a lost link) instead of closing them
     */
    void close(boolean reset) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        toTarget.close();
        toClient.close();
        closeSocket(client, reset);
        Socket t = target;
        if (t != null) {
            closeSocket(t, reset);
        }
        proxy.removed(this);
        log.debug("{}: closed{}", label, reset ? " (reset)" : "");
    }

    private static void closeSocket(Socket s, boolean reset) {
        try {
            if (reset && !s.isClosed()) {
                s.setSoLinger(true, 0);
            }
        } catch (IOException e) {
            // not connected: nothing to reset
        }
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
