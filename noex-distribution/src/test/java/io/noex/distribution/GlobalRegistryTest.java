package io.noex.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.noex.CallResult;
import io.noex.Exit;
import io.noex.ExitReason;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.StartOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Cluster-wide names across nodes in one JVM (real TCP). */
@Timeout(60)
class GlobalRegistryTest {

    /** A process that records its info messages. */
    public static final class Holder implements GenServerBehavior<String> {
        final LinkedBlockingQueue<Object> infos = new LinkedBlockingQueue<>();

        @Override
        public String init(List<Object> args) {
            return "h";
        }

        @Override
        public CallResult<String> handleCall(Object msg, String s) {
            return CallResult.reply(s, s);
        }

        @Override
        public String handleCast(Object msg, String s) {
            return s;
        }

        @Override
        public String handleInfo(Object msg, String s) {
            infos.add(msg);
            return s;
        }
    }

    private final ClusterNodes cluster = new ClusterNodes(n -> BehaviorRegistry.register(n, "holder", new Holder()));

    @AfterEach
    void close() {
        cluster.close();
    }

    private static void awaitEverywhere(String name, Optional<GenServerRef> expected, Node... nodes) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (Node n : nodes) {
                assertThat(GlobalNames.of(n).whereis(name)).as("%s on %s", name, n.nodeId()).isEqualTo(expected);
            }
        });
    }

    @Test
    void aRegistrationIsVisibleOnEveryNode_andLookupFailsClearlyForUnknownNames() {
        Node a = cluster.start("a");
        Node b = cluster.start("b", a);
        Node c = cluster.start("c", a);
        ClusterNodes.awaitMesh(a, b, c);
        GenServerRef p = a.start(new Holder());
        GlobalNames.of(a).register("leader", p);
        awaitEverywhere("leader", Optional.of(p), a, b, c);
        assertThat(GlobalNames.of(c).lookup("leader")).isEqualTo(p);
        assertThat(GlobalNames.of(b).isRegistered("leader")).isTrue();
        assertThat(GlobalNames.of(b).getNames()).containsExactly("leader");
        assertThat((Object) c.call(GlobalNames.of(c).lookup("leader"), "ping")).isEqualTo("h");
        assertThatThrownBy(() -> GlobalNames.of(b).lookup("nobody"))
                .isInstanceOfSatisfying(GlobalNameNotFoundException.class, e -> assertThat(e.name()).isEqualTo("nobody"));
    }

    @Test
    void aTakenName_failsNamingTheHolderAndItsNode() {
        Node a = cluster.start("a");
        Node b = cluster.start("b", a);
        ClusterNodes.awaitMesh(a, b);
        GenServerRef p = a.start(new Holder());
        GlobalNames.of(a).register("x", p);
        awaitEverywhere("x", Optional.of(p), a, b);
        GenServerRef q = b.start(new Holder());
        assertThatThrownBy(() -> GlobalNames.of(b).register("x", q))
                .isInstanceOfSatisfying(GlobalNameConflictException.class, e -> {
                    assertThat(e.holder()).isEqualTo(p);
                    assertThat(e.existingNode()).isEqualTo(a.nodeId());
                });
    }

    @Test
    void unregisterFromAnotherNode_propagatesEverywhere() {
        Node a = cluster.start("a");
        Node b = cluster.start("b", a);
        Node c = cluster.start("c", a);
        ClusterNodes.awaitMesh(a, b, c);
        GenServerRef p = a.start(new Holder());
        GlobalNames.of(a).register("svc", p);
        awaitEverywhere("svc", Optional.of(p), a, b, c);
        assertThat(GlobalNames.of(c).unregister("svc")).isTrue();
        awaitEverywhere("svc", Optional.empty(), a, b, c);
        assertThat(a.isRunning(p)).isTrue();
    }

    @Test
    void aNameIsReleasedEverywhere_whenItsProcessExits_forAnyReason() {
        Node a = cluster.start("a");
        Node b = cluster.start("b", a);
        ClusterNodes.awaitMesh(a, b);
        for (ExitReason reason : List.of(ExitReason.normal(), ExitReason.shutdown(), ExitReason.killed())) {
            GenServerRef p = b.start(new Holder());
            GlobalNames.of(a).register("w", p);
            awaitEverywhere("w", Optional.of(p), a, b);
            if (reason instanceof ExitReason.Killed) {
                b.kill(p);
            } else {
                b.stop(p, reason);
            }
            awaitEverywhere("w", Optional.empty(), a, b);
        }
    }

    @Test
    void theNamesOfALostNodesProcesses_areReleasedEverywhere() {
        Node a = cluster.start("a");
        Node b = cluster.start("b", a);
        Node c = cluster.start("c", a);
        ClusterNodes.awaitMesh(a, b, c);
        GlobalNames.of(c).register("on-c", c.start(new Holder()));
        GenServerRef onA = a.start(new Holder());
        GlobalNames.of(c).register("on-a", onA);
        awaitEverywhere("on-c", GlobalNames.of(c).whereis("on-c"), a, b);
        awaitEverywhere("on-a", Optional.of(onA), a, b, c);
        ClusterMembership.of(c).stop();
        awaitEverywhere("on-c", Optional.empty(), a, b);
        assertThat(GlobalNames.of(b).whereis("on-a")).contains(onA);
    }

    @Test
    void aNodeThatJoins_receivesEveryName() {
        Node a = cluster.start("a");
        Node b = cluster.start("b", a);
        ClusterNodes.awaitMesh(a, b);
        List<GenServerRef> refs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            GenServerRef p = (i % 2 == 0 ? a : b).start(new Holder());
            refs.add(p);
            GlobalNames.of(i % 2 == 0 ? a : b).register("n" + i, p);
        }
        List<GlobalRegistryEvent> synced = new CopyOnWriteArrayList<>();
        Node c = cluster.start("c", a);
        GlobalNames.of(c).onEvent(e -> {
            if (e instanceof GlobalRegistryEvent.Synced) {
                synced.add(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> GlobalNames.of(c).size() == 200);
        for (int i = 0; i < 200; i++) {
            assertThat(GlobalNames.of(c).whereis("n" + i)).contains(refs.get(i));
        }
    }

    @Test
    void concurrentRegistrationsOnFourNodes_convergeOnOneWinner_andTheLosersAreTold() throws Exception {
        Node a = cluster.start("a");
        Node b = cluster.start("b", a);
        Node c = cluster.start("c", a);
        Node d = cluster.start("d", a);
        Node[] all = {a, b, c, d};
        ClusterNodes.awaitMesh(all);
        for (int round = 0; round < 5; round++) {
            String name = "contested-" + round;
            List<Holder> holders = new ArrayList<>();
            List<GenServerRef> procs = new ArrayList<>();
            for (Node n : all) {
                Holder h = new Holder();
                holders.add(h);
                procs.add(n.start(h, StartOptions.builder().trapExit(true).build()));
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            List<Boolean> refusedAtOnce = new CopyOnWriteArrayList<>();
            for (int i = 0; i < all.length; i++) {
                Node n = all[i];
                GenServerRef p = procs.get(i);
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                        GlobalNames.of(n).register(name, p);
                    } catch (GlobalNameConflictException e) {
                        refusedAtOnce.add(true);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Optional<GenServerRef> first = GlobalNames.of(a).whereis(name);
                assertThat(first).isPresent();
                for (Node n : all) {
                    assertThat(GlobalNames.of(n).whereis(name)).isEqualTo(first);
                }
            });
            GenServerRef winner = GlobalNames.of(a).whereis(name).orElseThrow();
            int registered = all.length - refusedAtOnce.size();
            for (int i = 0; i < all.length; i++) {
                if (procs.get(i).equals(winner)) {
                    continue;
                }
                Holder h = holders.get(i);
                // A loser that had registered (not refused at once) gets an exit naming the conflict.
                Object told = h.infos.poll(registered > 1 ? 2 : 0, java.util.concurrent.TimeUnit.SECONDS);
                if (told != null) {
                    assertThat(told).isInstanceOfSatisfying(Exit.class, e ->
                            assertThat(e.reason()).isInstanceOfSatisfying(ExitReason.Error.class,
                                    r -> assertThat(r.message()).contains("lost the global name '" + name + "'")));
                }
            }
        }
    }

    @Test
    void aLoserRegisteredWithMessage_getsAGlobalNameConflictMessage() throws Exception {
        Node a = cluster.start("a");
        Node b = cluster.start("b", a);
        ClusterNodes.awaitMesh(a, b);
        Holder ha = new Holder();
        Holder hb = new Holder();
        GenServerRef pa = a.start(ha);
        GenServerRef pb = b.start(hb);
        // Register on both before either sync can arrive: each node sees the name free.
        CountDownLatch go = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                go.await();
                GlobalNames.of(b).register("m", pb, ConflictAction.MESSAGE);
            } catch (Exception ignored) {
                // refused at once: then there is no conflict to report in this round
            }
        });
        go.countDown();
        try {
            GlobalNames.of(a).register("m", pa, ConflictAction.MESSAGE);
        } catch (GlobalNameConflictException ignored) {
            // b was first
        }
        t.join();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                GlobalNames.of(a).whereis("m").equals(GlobalNames.of(b).whereis("m"))
                        && GlobalNames.of(a).whereis("m").isPresent());
        GenServerRef winner = GlobalNames.of(a).whereis("m").orElseThrow();
        assertThat(a.isRunning(pa)).isTrue();
        assertThat(b.isRunning(pb)).isTrue();
        Holder loser = winner.equals(pa) ? hb : ha;
        Object msg = loser.infos.poll(1, java.util.concurrent.TimeUnit.SECONDS);
        if (msg != null) {
            assertThat(msg).isEqualTo(new GlobalNameConflict("m", winner));
        }
    }

    @Test
    void aThousandRegisterUnregisterCyclesWithExits_leaveNoTableEntries() {
        Node a = cluster.start("a", b2 -> b2.downNodeRetention(Duration.ofMillis(200)));
        Node b = cluster.start("b", b2 -> b2.downNodeRetention(Duration.ofMillis(200)), a);
        ClusterNodes.awaitMesh(a, b);
        for (int i = 0; i < 1_000; i++) {
            GenServerRef p = (i % 2 == 0 ? a : b).start(new Holder());
            GlobalNames.of(a).register("cycle", p);
            if (i % 3 == 0) {
                GlobalNames.of(b).unregister("cycle");
                (i % 2 == 0 ? a : b).stop(p);
            } else {
                (i % 2 == 0 ? a : b).kill(p);
            }
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(5)).until(() ->
                    GlobalNames.of(a).whereis("cycle").isEmpty() && GlobalNames.of(b).whereis("cycle").isEmpty());
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (Node n : List.of(a, b)) {
                GlobalRegistryStats stats = GlobalNames.of(n).stats();
                assertThat(stats.names()).isZero();
                assertThat(stats.processMonitors()).isZero();
                assertThat(stats.tombstones()).isZero();
                assertThat(stats.waiting()).isZero();
                assertThat(n.stats().monitors()).isZero();
                assertThat(n.processCount()).isZero();
            }
        });
    }

    @Test
    void aGloballyNamedSpawn_isRegisteredEverywhere_andATakenNameStopsTheNewProcess() {
        Node a = cluster.start("a");
        Node b = cluster.start("b", a);
        ClusterNodes.awaitMesh(a, b);
        SpawnResult r = RemoteSpawn.spawn(a, "holder", b.nodeId(),
                SpawnOptions.builder().name("primary").registration(Registration.GLOBAL).build());
        awaitEverywhere("primary", Optional.of(r.ref()), a, b);
        int before = b.processCount();
        assertThatThrownBy(() -> RemoteSpawn.spawn(a, "holder", b.nodeId(),
                SpawnOptions.builder().name("primary").registration(Registration.GLOBAL).build()))
                .isInstanceOfSatisfying(RemoteSpawnRegistrationException.class,
                        e -> assertThat(e.registration()).isEqualTo(Registration.GLOBAL));
        await().atMost(Duration.ofSeconds(5)).until(() -> b.processCount() == before);
    }

    @Test
    void withoutARunningCluster_theGlobalRegistrySaysSo() {
        Node lonely = Node.create("lonely");
        try {
            assertThatThrownBy(() -> GlobalNames.of(lonely)).isInstanceOf(ClusterStateException.class)
                    .hasMessageContaining("needs a running cluster");
        } finally {
            lonely.close();
        }
    }
}
