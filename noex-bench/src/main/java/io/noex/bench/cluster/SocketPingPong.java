package io.noex.bench.cluster;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The floor: a plain Java blocking-socket ping-pong between the same two JVMs, no library. The
 * client writes {@code size} bytes and reads {@code size} bytes back; the server's thread reads
 * them and writes them back. One platform thread per side, TCP_NODELAY on both, no framing
 * beyond the size the client announces once per connection.
 *
 * <p>Threading: the server accepts on its own daemon thread and serves each connection on a new
 * daemon thread; a {@link Client} belongs to the thread that measures with it.
 */
final class SocketPingPong {

    private SocketPingPong() {
    }

    /**
     * Starts the echo server on 127.0.0.1, on a free port.
     *
     * @return the port
     */
    static int startServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (true) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                Thread serve = new Thread(() -> echo(s), "socket-echo");
                serve.setDaemon(true);
                serve.start();
            }
        }, "socket-accept");
        accept.setDaemon(true);
        accept.start();
        return server.getLocalPort();
    }

    private static void echo(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[in.readInt()];
            while (true) {
                in.readFully(buf);
                out.write(buf);
            }
        } catch (IOException e) {
            // the client closed: this connection is done
        }
    }

    /** One connection to the echo server, for messages of one size. */
    static final class Client implements AutoCloseable {

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] msg;
        private final byte[] back;

        Client(int port, int size) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            new DataOutputStream(out).writeInt(size);
            msg = new byte[size];
            back = new byte[size];
        }

        /** One round trip: write the message, read it back in full. */
        void roundTrip() {
            try {
                out.write(msg);
                int n = 0;
                while (n < back.length) {
                    int r = in.read(back, n, back.length - n);
                    if (r < 0) {
                        throw new IOException("the echo server closed the connection");
                    }
                    n += r;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
