package io.noex.distribution.remote;

import io.noex.NoexException;
import io.noex.NodeId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Requests awaiting an answer from another node, by request id. An answer takes its request out
 * (so a late or duplicate answer finds nothing); the loss of a node fails, at once, every request
 * that went to that life of it.
 *
 * <p>Threading: thread-safe.
 */
final class PendingRequests {

    private final ConcurrentHashMap<Long, Pending> byId = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    long register(Pending p) {
        long id = ids.incrementAndGet();
        byId.put(id, p);
        return id;
    }

    /** @return the request, now removed, or null if it had already ended */
    Pending take(long id) {
        return byId.remove(id);
    }

    /** Fails every request that went to {@code node} in {@code incarnation} (any, if negative). */
    void failAll(NodeId node, long incarnation, Supplier<NoexException> error) {
        for (Map.Entry<Long, Pending> e : byId.entrySet()) {
            Pending p = e.getValue();
            if (p.node().equals(node) && (incarnation < 0 || p.incarnation() == incarnation) && byId.remove(e.getKey(), p)) {
                p.fail(error.get());
            }
        }
    }

    /** Fails every request. */
    void failEverything(Supplier<NoexException> error) {
        for (Map.Entry<Long, Pending> e : byId.entrySet()) {
            if (byId.remove(e.getKey(), e.getValue())) {
                e.getValue().fail(error.get());
            }
        }
    }

    int size() {
        return byId.size();
    }
}
