package io.noex;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Stopping every process of a closing node: each gets a {@code shutdown} stop request at once
 * (they stop in parallel), then the node waits for all of them up to one shared deadline and
 * kills what is left, including anything started meanwhile.
 *
 * <p>Threading: called once, by {@link Node#close()}, on the closing thread.
 */
final class NodeShutdown {

    private NodeShutdown() {
    }

    static void stopAll(Node node, Duration grace) {
        List<ServerProcess> all = new ArrayList<>(node.table().all());
        List<ExitWaiter> waiters = new ArrayList<>(all.size());
        for (ServerProcess p : all) {
            ExitWaiter w = new ExitWaiter();
            if (!p.addExitWaiter(w)) {
                w.down(null, p.ref, ExitReason.noproc());
            }
            waiters.add(w);
            p.enqueue(new Envelope.Stop(ExitReason.shutdown()));
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (int i = 0; i < all.size(); i++) {
            if (!waiters.get(i).await(Math.max(1, deadline - System.nanoTime()))) {
                all.get(i).kill(ExitReason.killed());
            }
        }
        for (ServerProcess p : node.table().all()) {
            p.kill(ExitReason.killed()); // started while the node was closing
        }
    }
}
