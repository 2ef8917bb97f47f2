package io.noex.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeNotReachableException;
import io.noex.StartOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/**
 * Calls in flight when their node leaves end at once (SPEC 4.5: "immediately, not at the
 * timeout"), including a call that starts in the moment between the node being reported down and
 * its connection closing.
 */
@Timeout(60)
class RemoteCallNodeLossTest {

    private ClusterNodes cluster;
    private Node a;
    private Node b;
    private GenServerRef onB;

    @BeforeEach
    void start() {
        cluster = new ClusterNodes(RemoteCallTest::registerTypes);
        a = cluster.start("a");
        b = cluster.start("b", a);
        ClusterNodes.awaitMesh(a, b);
        onB = b.start(new RemoteCallTest.Server(), StartOptions.builder().name("server").build());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @RepeatedTest(3)
    void callersHammeringANodeThatStops_allEndWithinASecondOfTheStop() throws Exception {
        int callers = 16;
        AtomicLong calls = new AtomicLong();
        AtomicLong lastEnd = new AtomicLong();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(callers);
        for (int i = 0; i < callers; i++) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        try {
                            a.call(onB, new RemoteCallTest.Echo("x"), Duration.ofSeconds(20));
                            calls.incrementAndGet();
                        } catch (NodeNotReachableException e) {
                            return;
                        } catch (Throwable e) {
                            unexpected.compareAndSet(null, e);
                            return;
                        }
                    }
                } finally {
                    lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
                    done.countDown();
                }
            });
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() > 2_000);
        long stopped = System.nanoTime();
        ClusterMembership.of(b).stop();
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(unexpected.get()).isNull();
        assertThat(TimeUnit.NANOSECONDS.toMillis(lastEnd.get() - stopped)).as("last call ended after the stop (ms)").isLessThan(1_000);
    }
}
