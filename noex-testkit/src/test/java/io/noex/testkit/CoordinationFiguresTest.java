package io.noex.testkit;

import static io.noex.testkit.CoordinationSetup.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.distribution.Cluster;
import io.noex.distribution.GlobalNames;
import io.noex.distribution.GlobalRegistryEvent;
import io.noex.distribution.RemoteMonitor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The coordination figures of BENCHMARKS.md, each printed on a line starting with
 * {@code NOEX-MEASURE}, with the load average. Off by default (about a minute); run with
 * <pre>
 * mvn -B -o test -pl noex-testkit -am -Dtest=CoordinationFiguresTest -Dsurefire.failIfNoSpecifiedTests=false -Dnoex.measure=true
 * </pre>
 * Every timestamp is {@code System.nanoTime()} in the test JVM, taken where the event happens
 * (in the monitor callback, in the registry listener), not by polling, except where noted.
 */
@EnabledIfSystemProperty(named = "noex.measure", matches = "true")
@Timeout(600)
class CoordinationFiguresTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    final JvmCluster cluster = JvmCluster.create();
    @RegisterExtension
    final DefaultNodeMember member = new DefaultNodeMember();

    private final CoordinationSetup.Recorder recorder = new CoordinationSetup.Recorder();

    private static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String ms(List<Double> values) {
        return values.stream().map(v -> String.format("%.1f", v)).toList().toString();
    }

    /** kill -9 of a child JVM to the noconnection callback of a monitor held by the test JVM's node. */
    @Test
    void killNineToNoconnection() {
        JvmNodeOptions defaults = JvmNodeOptions.builder().setup(CoordinationSetup.class).build();
        JvmNode first = cluster.start("b0", defaults);
        Node t = member.join("t", Duration.ofSeconds(1), first.nodeId());
        List<Double> runs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            JvmNode b = i == 0 ? first : cluster.start("b" + i, defaults.toBuilder().seeds(t.nodeId()).build());
            await().atMost(WAIT).until(() -> Cluster.isNodeConnected(b.nodeId()));
            GenServerRef target = ref(b.command("spawn"));
            CompletableFuture<Long> fired = new CompletableFuture<>();
            RemoteMonitor.monitor(target, (r, reason) -> {
                if (reason.equals(ExitReason.noconnection())) {
                    fired.complete(System.nanoTime());
                }
            });
            await().atMost(WAIT).until(() -> b.command("stats").contains(" served=1 "));
            long t0 = System.nanoTime();
            b.process().destroyForcibly(); // SIGKILL, as JvmNode.kill9 (which then waits for the exit)
            long at = fired.orTimeout(30, TimeUnit.SECONDS).join();
            runs.add((at - t0) / 1e6);
            b.kill9(); // reaps it
        }
        assertThat(runs).hasSize(7).allMatch(v -> v < 5_000);
        System.out.printf("NOEX-MEASURE kill -9 of a JVM node to noconnection delivered on a peer (heartbeats 1 s x 3,"
                + " connection_closed path): median %.1f ms over %d runs %s; load %s%n", median(runs), runs.size(), ms(runs), load());
    }

    /** One registration on node0 of a 10-node LocalCluster (one JVM) to the last of the ten registered events. */
    @Test
    void registrationVisibleOnTenNodes() {
        try (LocalCluster ten = LocalCluster.builder().nodes(10).start()) {
            ten.awaitFullMesh(WAIT);
            ConcurrentHashMap<String, List<Long>> seen = new ConcurrentHashMap<>();
            for (int i = 0; i < 10; i++) {
                GlobalNames.of(ten.node(i)).onEvent(e -> {
                    if (e instanceof GlobalRegistryEvent.Registered r) {
                        seen.computeIfAbsent(r.name(), k -> Collections.synchronizedList(new ArrayList<>())).add(System.nanoTime());
                    }
                });
            }
            List<Double> runs = new ArrayList<>();
            for (int run = 0; run < 30; run++) {
                String name = "visible-" + run;
                GenServerRef p = ten.node(0).start(recorder);
                long t0 = System.nanoTime();
                GlobalNames.of(ten.node(0)).register(name, p);
                await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> seen.getOrDefault(name, List.of()).size() == 10);
                for (int i = 0; i < 10; i++) {
                    assertThat(GlobalNames.of(ten.node(i)).whereis(name)).contains(p);
                }
                if (run >= 10) { // the first ten warm the code up
                    runs.add((Collections.max(seen.get(name)) - t0) / 1e6);
                }
            }
            System.out.printf("NOEX-MEASURE registration visible on all 10 nodes (LocalCluster, 10 nodes in one JVM,"
                            + " register call to the last node's registered event): median %.2f ms, max %.2f ms over %d runs; load %s%n",
                    median(runs), Collections.max(runs), runs.size(), load());
        }
    }

    /** A node joins a child JVM holding 100,000 names: its cluster start to its replica holding all of them. */
    @Test
    void syncOfAJoiningNodeWith100000Names() {
        JvmNode a = cluster.start("a", JvmNodeOptions.builder().setup(CoordinationSetup.class).build());
        String registerMillis = a.command("register-many 100000 name- 100", Duration.ofSeconds(300));
        assertThat(a.command("stats")).contains("names=100000 ");
        List<Double> fromStart = new ArrayList<>();
        List<Double> fromUp = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            CompletableFuture<Long> up = new CompletableFuture<>();
            io.noex.distribution.ClusterMembership.of(Node.defaultNode()).onNodeUp(info -> up.complete(System.nanoTime()));
            long t0 = System.nanoTime();
            Node t = member.join("t", Duration.ofSeconds(1), a.nodeId());
            GlobalNames names = GlobalNames.of(t);
            // Polled every millisecond: the figure is late by at most about 1 ms.
            while (names.size() < 100_000 && System.nanoTime() - t0 < WAIT.toNanos()) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            long done = System.nanoTime();
            assertThat(names.size()).isEqualTo(100_000);
            assertThat(names.whereis("name-99999")).isPresent();
            fromStart.add((done - t0) / 1e6);
            fromUp.add((done - up.getNow(t0)) / 1e6);
            member.afterEach(null); // leave, so that the next run joins afresh
        }
        System.out.printf("NOEX-MEASURE registry sync of a node joining a cluster holding 100,000 names (a child JVM holds"
                        + " them, 100 per process; the test JVM joins): Cluster.start to 100,000 names: median %.0f ms %s;"
                        + " node-up event to 100,000 names: median %.0f ms %s; registering them took %s ms in the child; load %s%n",
                median(fromStart), ms(fromStart), median(fromUp), ms(fromUp), registerMillis, load());
    }
}
