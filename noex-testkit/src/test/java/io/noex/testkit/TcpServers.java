package io.noex.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Small TCP servers on 127.0.0.1 for the proxy tests: each connection handled on a virtual thread. */
final class TcpServers {

    private TcpServers() {
    }

    /** Echoes every byte back on the connection it came on. */
    static final class Echo implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        Echo() {
            server = listen();
            Thread.ofVirtual().start(() -> acceptLoop(server, sockets, s -> {
                try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    in.transferTo(out);
                }
            }));
        }

        InetSocketAddress address() {
            return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** Records what each connection sent; sends nothing. */
    static final class Sink implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final List<ByteArrayOutputStream> received = new CopyOnWriteArrayList<>();

        Sink() {
            server = listen();
            Thread.ofVirtual().start(() -> acceptLoop(server, sockets, s -> {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                received.add(buf);
                byte[] chunk = new byte[64 * 1024];
                try (s; InputStream in = s.getInputStream()) {
                    int n;
                    while ((n = in.read(chunk)) >= 0) {
                        synchronized (buf) {
                            buf.write(chunk, 0, n);
                        }
                    }
                }
            }));
        }

        InetSocketAddress address() {
            return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
        }

        int connections() {
            return received.size();
        }

        /** @return what connection {@code i} (in accept order) sent so far */
        byte[] received(int i) {
            ByteArrayOutputStream buf = received.get(i);
            synchronized (buf) {
                return buf.toByteArray();
            }
        }

        long receivedBytes(int i) {
            if (i >= received.size()) {
                return 0;
            }
            ByteArrayOutputStream buf = received.get(i);
            synchronized (buf) {
                return buf.size();
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    interface Handler {
        void handle(Socket s) throws IOException;
    }

    private static ServerSocket listen() {
        try {
            return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void acceptLoop(ServerSocket server, List<Socket> sockets, Handler handler) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread.ofVirtual().start(() -> {
                    try {
                        handler.handle(s);
                    } catch (IOException e) {
                        // the test closed it, or the proxy reset it
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }
}
