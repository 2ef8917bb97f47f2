package io.noex.testkit;

import static io.noex.testkit.CoordinationSetup.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.noex.ExitReason;
import io.noex.GenServer;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.distribution.Cluster;
import io.noex.distribution.GlobalNameConflictException;
import io.noex.distribution.GlobalNames;
import io.noex.distribution.GlobalRegistry;
import io.noex.distribution.GlobalRegistryStats;
import io.noex.distribution.RemoteSpawn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The GlobalRegistry across separate JVMs over TCP on 127.0.0.1: nodes in child JVMs run
 * {@link CoordinationSetup}, and the test JVM's own default node ({@code t}) is a member too, so
 * the static {@link GlobalRegistry} facade acts for it. Heartbeats are the defaults (1 s x 3): no
 * test here waits for the failure detector (a {@code kill -9} closes the connection), and shorter
 * ones report false downs on a loaded 2-core machine, which would drop and re-sync names mid-test.
 */
@Timeout(180)
class JvmGlobalRegistryTest {

    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final JvmCluster cluster = JvmCluster.create();
    @RegisterExtension
    final DefaultNodeMember member = new DefaultNodeMember();

    private final CoordinationSetup.Recorder recorder = new CoordinationSetup.Recorder();

    private JvmNodeOptions options(JvmNode... seeds) {
        return JvmNodeOptions.builder().heartbeatInterval(HEARTBEAT).setup(CoordinationSetup.class)
                .seeds(Arrays.stream(seeds).map(JvmNode::nodeId).toArray(io.noex.NodeId[]::new)).build();
    }

    /** Starts child JVMs named {@code names}, all joining the first, and the test node joining them; waits for the mesh. */
    private List<JvmNode> startMesh(String... names) {
        List<JvmNode> nodes = new ArrayList<>();
        for (String n : names) {
            nodes.add(cluster.start(n, nodes.isEmpty() ? options() : options(nodes.getFirst())));
        }
        member.join("t", HEARTBEAT, nodes.getFirst().nodeId());
        awaitMesh(nodes);
        return nodes;
    }

    private static void awaitMesh(List<JvmNode> nodes) {
        await().atMost(WAIT).until(() -> {
            for (JvmNode n : nodes) {
                if (n.connectedNodes().size() != nodes.size()) { // the others and t
                    return false;
                }
            }
            return Cluster.getConnectedNodes().size() == nodes.size();
        });
    }

    /** Waits until every child and t know {@code name} as {@code expected}. */
    private static void awaitEverywhere(String name, Optional<GenServerRef> expected, List<JvmNode> nodes) {
        String text = expected.map(GenServerRef::toString).orElse("none");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(GlobalRegistry.whereis(name)).as("%s on t", name).isEqualTo(expected);
            for (JvmNode n : nodes) {
                assertThat(n.command("whereis " + name)).as("%s on %s", name, n.name()).isEqualTo(text);
            }
        });
    }

    private static List<String> infos(JvmNode n, GenServerRef ref) {
        String all = n.command("infos " + ref);
        return all.isEmpty() ? List.of() : Arrays.asList(all.split(" \\| "));
    }

    @Test
    void registerAndUnregister_reachEveryJvm_andATakenNameNamesItsHolder() {
        List<JvmNode> nodes = startMesh("a", "b", "c");
        JvmNode a = nodes.get(0);
        JvmNode c = nodes.get(2);
        GenServerRef onA = ref(a.command("spawn"));
        assertThat(a.command("register leader " + onA)).isEqualTo("ok");
        awaitEverywhere("leader", Optional.of(onA), nodes);
        assertThat(GlobalRegistry.lookup("leader")).isEqualTo(onA);
        assertThat(GlobalRegistry.getNames()).containsExactly("leader");

        GenServerRef onC = ref(c.command("spawn"));
        assertThat(c.command("register leader " + onC)).isEqualTo("conflict " + onA);
        GenServerRef onT = GenServer.start(recorder);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GlobalRegistry.register("leader", onT))
                .isInstanceOfSatisfying(GlobalNameConflictException.class, e -> assertThat(e.existingNode()).isEqualTo(a.nodeId()));

        // A name held by a's process, unregistered from c: gone everywhere; the process lives on.
        assertThat(c.command("unregister leader")).isEqualTo("true");
        awaitEverywhere("leader", Optional.empty(), nodes);
        assertThat(a.command("alive " + onA)).isEqualTo("true");
        assertThat(infos(a, onA)).isEmpty();
        assertThat(c.command("unregister leader")).isEqualTo("false");

        // The test node registers a process of b (registering a remote process is allowed).
        GenServerRef onB = ref(nodes.get(1).command("spawn"));
        GlobalRegistry.register("remote", onB);
        awaitEverywhere("remote", Optional.of(onB), nodes);
        assertThat(GlobalRegistry.unregister("remote")).isTrue();
        awaitEverywhere("remote", Optional.empty(), nodes);
    }

    @Test
    void aNameIsReleasedEverywhere_whenItsProcessExits_forAnyReason_orItsJvmIsKilled() {
        List<JvmNode> nodes = startMesh("a", "b", "c");
        JvmNode b = nodes.get(1);
        JvmNode c = nodes.get(2);
        for (String how : List.of("normal", "shutdown", "crash", "kill")) {
            GenServerRef p = ref(b.command("spawn"));
            assertThat(b.command("register w-" + how + " " + p)).isEqualTo("ok");
            awaitEverywhere("w-" + how, Optional.of(p), nodes);
            b.command("stop " + p + " " + how);
            awaitEverywhere("w-" + how, Optional.empty(), nodes);
        }
        // A process of t exits: released in every child too.
        GenServerRef onT = GenServer.start(recorder);
        GlobalRegistry.register("on-t", onT);
        awaitEverywhere("on-t", Optional.of(onT), nodes);
        GenServer.stop(onT, ExitReason.shutdown());
        awaitEverywhere("on-t", Optional.empty(), nodes);

        // c's JVM is killed: the names of its processes are released on every survivor.
        GenServerRef onC = ref(c.command("spawn"));
        assertThat(nodes.get(0).command("register on-c " + onC)).isEqualTo("ok");
        GenServerRef onB = ref(b.command("spawn"));
        assertThat(c.command("register on-b " + onB)).isEqualTo("ok");
        awaitEverywhere("on-c", Optional.of(onC), nodes);
        awaitEverywhere("on-b", Optional.of(onB), nodes);
        c.kill9();
        List<JvmNode> survivors = List.of(nodes.get(0), b);
        awaitEverywhere("on-c", Optional.empty(), survivors);
        awaitEverywhere("on-b", Optional.of(onB), survivors); // registered by c, but its process is on b
    }

    @Test
    void aJvmThatJoins_receivesEveryName() {
        List<JvmNode> nodes = startMesh("a", "b");
        nodes.get(0).command("register-many 2000 a- 100");
        nodes.get(1).command("register-many 1000 b- 10");
        GenServerRef onT = GenServer.start(recorder);
        GlobalRegistry.register("t-0", onT);
        await().atMost(WAIT).until(() -> GlobalNames.of(Node.defaultNode()).size() == 3001);

        JvmNode d = cluster.start("d", options(nodes.get(1)));
        String aHolder = nodes.get(0).command("whereis a-1999");
        String bHolder = nodes.get(1).command("whereis b-0");
        assertThat(aHolder).isNotEqualTo("none");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(d.command("stats")).contains("names=3001 ");
            assertThat(d.command("whereis a-1999")).isEqualTo(aHolder);
            assertThat(d.command("whereis b-0")).isEqualTo(bHolder);
            assertThat(d.command("whereis t-0")).isEqualTo(onT.toString());
        });
    }

    @Test
    void concurrentRegistrationsOfOneNameOnFourJvms_convergeOnOneWinnerEverywhere_andEachLoserIsToldOnce() throws Exception {
        List<JvmNode> nodes = startMesh("a", "b", "c", "d");
        int conflictRounds = 0;
        int rounds = 0;
        Map<String, Integer> outcomes = new TreeMap<>();
        // Whether two registrations cross on the wire depends on timing; rounds go on until three
        // of them did (a real conflict), four rounds at least, forty at most.
        for (int round = 0; round < 40 && (round < 4 || conflictRounds < 3); round++) {
            rounds++;
            String name = "contested-" + round;
            long at = System.currentTimeMillis() + 300; // only so the four start together
            List<CompletableFuture<String>> answers = new ArrayList<>();
            for (JvmNode n : nodes) {
                answers.add(CompletableFuture.supplyAsync(() -> n.command("contend " + name + " " + at)));
            }
            List<String> results = new ArrayList<>();
            for (CompletableFuture<String> f : answers) {
                results.add(f.get());
            }
            // One winner, the same on every node.
            await().atMost(WAIT).until(() -> !GlobalRegistry.whereis(name).isEmpty());
            await().atMost(WAIT).untilAsserted(() -> {
                String holder = GlobalRegistry.whereis(name).orElseThrow().toString();
                for (JvmNode n : nodes) {
                    assertThat(n.command("whereis " + name)).as("%s on %s", name, n.name()).isEqualTo(holder);
                }
            });
            GenServerRef winner = GlobalRegistry.whereis(name).orElseThrow();
            List<GenServerRef> contenders = results.stream().map(r -> ref(r.split(" ")[1])).toList();
            assertThat(contenders).contains(winner);
            List<String> acceptedRefs = results.stream().filter(r -> r.startsWith("ok ")).map(r -> r.split(" ")[1]).toList();
            int accepted = 0;
            for (int i = 0; i < nodes.size(); i++) {
                String[] r = results.get(i).split(" ");
                GenServerRef p = ref(r[1]);
                JvmNode n = nodes.get(i);
                if (r[0].equals("ok")) {
                    accepted++;
                    if (p.equals(winner)) {
                        assertThat(infos(n, p)).as("the winner is told nothing").isEmpty();
                    } else {
                        // Registered, then lost: told exactly once (it traps exits, so it lives on),
                        // naming the registration that beat it on its node (with three or more
                        // contenders, possibly one that lost in turn to the final winner).
                        String lost = "exit " + p + " error: lost the global name '" + name + "' to ";
                        await().atMost(WAIT).until(() -> infos(n, p).stream().anyMatch(l -> l.startsWith(lost)));
                        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> infos(n, p).size() == 1);
                        String line = infos(n, p).getFirst();
                        assertThat(line).endsWith(" (concurrent registration)");
                        String beatenBy = line.substring(lost.length(), line.length() - " (concurrent registration)".length());
                        assertThat(beatenBy).isIn(acceptedRefs).isNotEqualTo(p.toString());
                    }
                } else {
                    assertThat(r[0]).isEqualTo("refused");
                    assertThat(ref(r[2])).as("the holder named when refused is a contender").isIn(contenders);
                    assertThat(infos(n, p)).as("a refused registration is told nothing later").isEmpty();
                }
            }
            outcomes.merge(accepted + " accepted", 1, Integer::sum);
            if (accepted > 1) {
                conflictRounds++;
            }
        }
        System.out.println("NOEX-MEASURE concurrent registration of one name on 4 JVMs, " + rounds + " rounds: " + outcomes);
        assertThat(conflictRounds).as("rounds in which two or more nodes accepted the name (a real conflict)").isPositive();
    }

    @Test
    void aThousandRegisterUnregisterCyclesWithProcessExits_leaveEveryNodesTablesAtTheirStartingSize() {
        List<JvmNode> nodes = List.of(
                cluster.start("a", JvmNodeOptions.builder().heartbeatInterval(HEARTBEAT).setup(CoordinationSetup.class)
                        .downNodeRetention(Duration.ofSeconds(1)).build()));
        JvmNode a = nodes.getFirst();
        Node t = member.join("t", HEARTBEAT, Duration.ofSeconds(1), a.nodeId());
        awaitMesh(nodes);
        Map<String, Integer> aBefore = JvmRemoteSignalsTest.tables(a.command("stats"));
        GlobalRegistryStats tBefore = GlobalNames.of(t).stats();
        int tProcesses = t.processCount();

        for (int i = 0; i < 1_000; i++) {
            String name = "cycle-" + i;
            boolean remote = i % 2 == 1;
            GenServerRef p = remote ? RemoteSpawn.spawn(CoordinationSetup.RECORDER, a.nodeId()).ref() : GenServer.start(recorder);
            GlobalRegistry.register(name, p);
            switch (i % 5) {
                case 0 -> GenServer.stop(p);                         // exits normally
                case 1 -> GenServer.kill(p);                         // killed
                case 2 -> GenServer.cast(p, "crash");                // crashes
                case 3 -> {                                          // unregistered, then stopped
                    assertThat(GlobalRegistry.unregister(name)).isTrue();
                    GenServer.stop(p, ExitReason.shutdown());
                }
                default -> {                                         // unregistered by the other node
                    await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).atMost(WAIT)
                            .until(() -> a.command("whereis " + name).equals(p.toString()));
                    assertThat(a.command("unregister " + name)).isEqualTo("true");
                    GenServer.stop(p);
                }
            }
        }
        // Names are released, monitors dropped, and tombstones expire (both nodes remember removals
        // for 1 s here, their downNodeRetention).
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(JvmRemoteSignalsTest.tables(a.command("stats"))).isEqualTo(aBefore);
            GlobalRegistryStats now = GlobalNames.of(t).stats();
            assertThat(now.names()).isEqualTo(tBefore.names());
            assertThat(now.processMonitors()).isEqualTo(tBefore.processMonitors());
            assertThat(now.tombstones()).isEqualTo(tBefore.tombstones());
            assertThat(now.waiting()).isEqualTo(tBefore.waiting());
            assertThat(t.processCount()).isEqualTo(tProcesses);
            assertThat(t.stats().monitors()).isZero();
        });
        System.out.println("NOEX-MEASURE registry tables after 1,000 register/unregister cycles with exits: a "
                + a.command("stats") + "; t " + CoordinationSetup.stats(t));
    }
}
