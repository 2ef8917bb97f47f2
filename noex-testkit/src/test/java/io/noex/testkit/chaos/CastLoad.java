package io.noex.testkit.chaos;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.distribution.RemoteCall;
import io.noex.testkit.chaos.ChaosMessages.Tagged;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Steady casts from this node to every peer's {@link CastSink}: per peer, one virtual thread sends
 * bursts of {@code burst} tagged casts ({@link CastSequencer}) every {@code pause}. The receiver
 * checks them ({@link CastOrderCheck}).
 *
 * <p>Threading: thread-safe; one virtual thread per peer.
 */
final class CastLoad implements AutoCloseable {

    static final String SINK = "chaos-sink";

    private final Node node;
    private final String self;
    private final long run;
    private final List<NodeId> peers;
    private final Duration pause;
    private final int burst;
    private final ChaosLedger ledger;
    private final ConnectionProbe probe;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    CastLoad(Node node, String self, long run, List<NodeId> peers, Duration pause, int burst, ChaosLedger ledger) {
        this.node = node;
        this.self = self;
        this.run = run;
        this.peers = List.copyOf(peers);
        this.pause = pause;
        this.burst = burst;
        this.ledger = ledger;
        this.probe = new ConnectionProbe(node);
    }

    /** Starts a sender per peer. */
    void start() {
        for (NodeId peer : peers) {
            threads.add(Thread.ofVirtual().name("noex-chaos-cast-" + peer.name()).start(() -> loop(peer)));
        }
    }

    private void loop(NodeId peer) {
        CastSequencer sequencer = new CastSequencer(self, run);
        GenServerRef sink = new GenServerRef(SINK, peer);
        long epochs = 0;
        long straddled = 0;
        while (running) {
            for (int i = 0; i < burst; i++) {
                Tagged t = sequencer.next(probe.connection(peer));
                boolean accepted = RemoteCall.cast(node, sink, t);
                sequencer.sent(t, accepted, probe.connection(peer));
                ledger.count(accepted ? "casts.sent" : "casts.refused");
            }
            ledger.add("casts.epochs", sequencer.epochs() - epochs);
            ledger.add("casts.straddled", sequencer.straddled() - straddled);
            epochs = sequencer.epochs();
            straddled = sequencer.straddled();
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops sending and waits for the senders to finish their burst. */
    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
