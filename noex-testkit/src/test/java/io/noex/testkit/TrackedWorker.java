package io.noex.testkit;

import io.noex.CallResult;
import io.noex.GenServer;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A supervised worker whose first init argument is its child id. One instance is registered per
 * node and remembers the processes it started there, so a test can ask each node which children
 * have a live copy on it (a duplicate shows up as the same id twice, or on two nodes). A call
 * answers {@code [childId, nodeId]}: which copy answered, and where.
 */
public final class TrackedWorker implements GenServerBehavior<String> {

    private final Map<GenServerRef, String> started = new ConcurrentHashMap<>();

    @Override
    public String init(List<Object> args) {
        String id = (String) args.get(0);
        started.put(GenServer.self(), id);
        return id;
    }

    @Override
    public CallResult<String> handleCall(Object msg, String id) {
        return CallResult.reply(List.of(id, Node.current().nodeId().toString()), id);
    }

    @Override
    public String handleCast(Object msg, String id) {
        return id;
    }

    /**
     * @param node the node this instance is registered on
     * @return the child ids of its processes that are alive now, sorted (an id twice: two copies)
     */
    public List<String> liveIds(Node node) {
        List<String> ids = new ArrayList<>();
        started.entrySet().removeIf(e -> !node.isRunning(e.getKey()));
        for (String id : started.values()) {
            ids.add(id);
        }
        ids.sort(null);
        return ids;
    }

    /**
     * @param node the node this instance is registered on
     * @return its live processes, by ref
     */
    public Map<GenServerRef, String> live(Node node) {
        started.entrySet().removeIf(e -> !node.isRunning(e.getKey()));
        return Map.copyOf(started);
    }
}
