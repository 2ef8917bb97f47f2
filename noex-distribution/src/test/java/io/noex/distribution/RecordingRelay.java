package io.noex.distribution;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A man in the middle for security tests: a member dials the relay (the target node advertises
 * the relay's port), and the relay forwards both directions to the target's real port. It records
 * every frame the member sends (handshake frames included, exactly as they were on the wire), and
 * on request injects a frame into that direction or swaps the next two, as an attacker on the
 * network path could.
 *
 * <p>Threading: two pump threads per relayed connection; the public methods are thread-safe.
 */
final class RecordingRelay implements AutoCloseable {

    /** One relayed connection: the frames the member sent on it, in order. */
    static final class Session {
        final List<byte[]> frames = new CopyOnWriteArrayList<>();
        private final Socket member;
        private final Socket target;
        private final DataOutputStream toTarget;
        private Optional<byte[]> held = Optional.empty();
        private boolean swapNextTwo;

        private Session(Socket member, Socket target) throws IOException {
            this.member = member;
            this.target = target;
            this.toTarget = new DataOutputStream(target.getOutputStream());
        }

        /** Member to target, frame by frame, so that a frame can be injected or held between two. */
        private void pumpFrames() {
            try (DataInputStream in = new DataInputStream(member.getInputStream())) {
                while (true) {
                    int length = in.readInt();
                    byte[] frame = new byte[length];
                    in.readFully(frame);
                    frames.add(frame);
                    synchronized (this) {
                        if (swapNextTwo && held.isEmpty()) {
                            held = Optional.of(frame);
                            continue;
                        }
                        write(frame);
                        if (held.isPresent()) {
                            write(held.get());
                            held = Optional.empty();
                            swapNextTwo = false;
                        }
                    }
                }
            } catch (IOException e) {
                closeBoth();
            }
        }

        private void write(byte[] frame) throws IOException {
            toTarget.writeInt(frame.length);
            toTarget.write(frame);
            toTarget.flush();
        }

        /** Sends {@code frame} to the target as if the member had sent it now. */
        synchronized void inject(byte[] frame) throws IOException {
            write(frame);
        }

        /** The next two frames from the member reach the target in the opposite order. */
        synchronized void swapNextTwo() {
            swapNextTwo = true;
        }

        private void closeBoth() {
            try {
                member.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                target.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private final ServerSocket server;
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile int targetPort;

    RecordingRelay() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        start("relay-accept", this::accept);
    }

    /** @return the port members dial */
    int port() {
        return server.getLocalPort();
    }

    /** @param port the target node's real port; set before the first member dials */
    void forwardTo(int port) {
        this.targetPort = port;
    }

    /** @return the relayed connections, oldest first */
    List<Session> sessions() {
        return new ArrayList<>(sessions);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket member = server.accept();
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Session s = new Session(member, target);
                sessions.add(s);
                start("relay-frames", s::pumpFrames);
                start("relay-back", () -> pumpBytes(target, member, s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void pumpBytes(Socket from, Socket to, Session s) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // one side closed
        }
        s.closeBoth();
    }

    private void start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Session s : sessions) {
            s.closeBoth();
        }
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
