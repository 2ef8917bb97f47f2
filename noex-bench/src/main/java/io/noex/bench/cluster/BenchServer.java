package io.noex.bench.cluster;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.StartOptions;
import io.noex.distribution.ClusterConfig;
import io.noex.distribution.ClusterMembership;
import io.noex.distribution.NodeDownReason;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The server JVM of the cluster benchmark, started by {@link ClusterBench} as its child: a
 * clustered node on 127.0.0.1 (free port) hosting one {@link BenchMessages.Sink} registered as
 * {@value BenchMessages#SINK}, and the {@link SocketPingPong} echo server (free port).
 *
 * <p>Protocol with the driver: one line on stdout,
 * <pre>
 * NOEX_BENCH_SERVER node=server@127.0.0.1:PORT socket=PORT pid=PID
 * </pre>
 * then commands, one per line, on stdin: {@code jfr-start FILE} and {@code jfr-stop} (a JFR
 * recording of this JVM, see {@link Jfr}), each acknowledged with {@code ok}. End of input (the
 * driver closed the pipe, or died) ends this JVM, so a server never outlives its driver for long.
 *
 * <p>Threading: the main thread reads commands; the node and the echo server run on their own.
 */
public final class BenchServer {

    /** The prefix of the line that tells the driver where this server listens. */
    static final String READY = "NOEX_BENCH_SERVER";

    private BenchServer() {
    }

    /**
     * @param args none
     * @throws Exception if the node or the socket server cannot start
     */
    public static void main(String[] args) throws Exception {
        Node node = Node.create("server");
        BenchMessages.register(node);
        ClusterMembership membership = ClusterMembership.of(node);
        membership.onNodeDown((id, why) -> {
            if (why != NodeDownReason.GRACEFUL_SHUTDOWN) { // the driver's normal goodbye is not news
                System.err.printf("[server] %s is down: %s%n", id, why);
            }
        });
        membership.start(ClusterConfig.builder().nodeName("server").host("127.0.0.1").port(0).build());
        GenServerRef sink = node.start(new BenchMessages.Sink(), StartOptions.builder().name(BenchMessages.SINK).build());
        int socketPort = SocketPingPong.startServer();
        System.out.println(READY + " node=" + sink.nodeId() + " socket=" + socketPort + " pid=" + ProcessHandle.current().pid());
        System.out.flush();

        Jfr jfr = new Jfr();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("jfr-start ")) {
                jfr.start(Path.of(line.substring("jfr-start ".length()).trim()));
            } else if (line.equals("jfr-stop")) {
                jfr.stop();
            }
            System.out.println("ok");
            System.out.flush();
        }
        // The driver is gone: stop at once rather than wait for a graceful goodbye nobody hears.
        jfr.stop();
        Runtime.getRuntime().halt(0);
    }
}
