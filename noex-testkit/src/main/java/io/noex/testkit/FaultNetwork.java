package io.noex.testkit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link FaultProxy} in front of each node of a cluster, and faults between nodes by name.
 * A connection between nodes {@code a} and {@code b} passes through exactly one proxy (the one in
 * front of whichever node was dialed), so a rule about the pair is set on both proxies, each for
 * connections with the other node:
 * {@snippet :
 * network.partition(List.of("a"), List.of("b", "c"));   // a <-/-> b, a <-/-> c; b <-> c works
 * network.heal();
 * network.freeze("c");                                  // every link of c holds still
 * network.resume("c");
 * }
 * Nodes are named as in their NodeIds ({@code name@host:port}); a NodeId string is accepted too.
 * For the proxies to see the traffic, each node must advertise its proxy's address as its own
 * ({@link LocalCluster.Builder#behindFaultProxies()} arranges that).
 *
 * <p>Threading: thread-safe.
 */
public final class FaultNetwork implements AutoCloseable, AfterEachCallback {

    private final Map<String, FaultProxy> proxies = new LinkedHashMap<>();

    /** An empty network; {@link #add} a proxy per node. */
    public FaultNetwork() {
    }

    /**
     * Starts a proxy for {@code node}, listening on {@code listen} and forwarding to {@code target}.
     *
     * @param node the node's name
     * @param listen where the proxy listens: the address in the node's NodeId
     * @param target where the node really listens
     * @return the proxy
     * @throws IllegalArgumentException if the node has a proxy already
     */
    public synchronized FaultProxy add(String node, InetSocketAddress listen, InetSocketAddress target) {
        String name = LinkFaults.nodeName(Objects.requireNonNull(node, "node"));
        if (proxies.containsKey(name)) {
            throw new IllegalArgumentException("node " + name + " has a proxy already");
        }
        FaultProxy proxy = FaultProxy.builder().node(name).listen(listen).target(target).start();
        proxies.put(name, proxy);
        return proxy;
    }

    /**
     * Starts a proxy for {@code node} on 127.0.0.1, a free port.
     *
     * @param node the node's name
     * @param target where the node really listens
     * @return the proxy
     */
    public FaultProxy add(String node, InetSocketAddress target) {
        return add(node, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), target);
    }

    /**
     * @param node a node name or NodeId string
     * @return the proxy in front of it
     * @throws IllegalArgumentException if it has none
     */
    public synchronized FaultProxy proxy(String node) {
        String name = LinkFaults.nodeName(Objects.requireNonNull(node, "node"));
        FaultProxy p = proxies.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no proxy for node " + name + " (proxied: " + proxies.keySet() + ")");
        }
        return p;
    }

    /**
     * Closes and forgets the proxy of {@code node}, if it has one.
     *
     * @param node a node name
     */
    void remove(String node) {
        FaultProxy p;
        synchronized (this) {
            p = proxies.remove(LinkFaults.nodeName(node));
        }
        if (p != null) {
            p.close();
        }
    }

    /** @return the names of the proxied nodes, in the order added */
    public synchronized Set<String> nodes() {
        return Set.copyOf(proxies.keySet());
    }

    private synchronized List<FaultProxy> all() {
        return new ArrayList<>(proxies.values());
    }

    /**
     * Cuts every link between a node of {@code sideA} and a node of {@code sideB} (a black hole,
     * see {@link FaultProxy#partition()}); links within each side keep working.
     *
     * @param sideA node names
     * @param sideB node names
     */
    public void partition(Collection<String> sideA, Collection<String> sideB) {
        for (String a : sideA) {
            for (String b : sideB) {
                proxy(a).partition(b);
                proxy(b).partition(a);
            }
        }
    }

    /**
     * Cuts every link of {@code node}, including those with nodes this network has no proxy for.
     *
     * @param node a node name
     */
    public void isolate(String node) {
        FaultProxy own = proxy(node);
        own.partition();
        for (FaultProxy p : all()) {
            if (p != own) {
                p.partition(node);
            }
        }
    }

    /**
     * Freezes every link of {@code node} (see {@link FaultProxy#freeze()}): from the outside, the
     * node looks stopped, though it runs.
     *
     * @param node a node name
     */
    public void freeze(String node) {
        FaultProxy own = proxy(node);
        own.freeze();
        for (FaultProxy p : all()) {
            if (p != own) {
                p.freeze(node);
            }
        }
    }

    /**
     * Lifts {@link #freeze(String)}: the links of {@code node} deliver what they buffered.
     *
     * @param node a node name
     */
    public void resume(String node) {
        FaultProxy own = proxy(node);
        own.resume();
        for (FaultProxy p : all()) {
            if (p != own) {
                p.resume(node);
            }
        }
    }

    /**
     * Delays the link between {@code a} and {@code b}, both ways.
     *
     * @param a a node name
     * @param b another node name
     * @param delay how long each chunk waits (zero lifts it)
     */
    public void delay(String a, String b, Duration delay) {
        proxy(a).delay(b, delay);
        proxy(b).delay(a, delay);
    }

    /**
     * Delays every link of every proxied node.
     *
     * @param delay how long each chunk waits (zero lifts it)
     */
    public void delay(Duration delay) {
        for (FaultProxy p : all()) {
            p.delay(delay);
        }
    }

    /**
     * Resets every current connection of {@code node}, like a lost link.
     *
     * @param node a node name
     */
    public void dropConnections(String node) {
        FaultProxy own = proxy(node);
        own.dropConnections();
        for (FaultProxy p : all()) {
            if (p != own) {
                p.dropConnections(node);
            }
        }
    }

    /** Lifts every fault on every proxy (see {@link FaultProxy#heal()}). */
    public void heal() {
        for (FaultProxy p : all()) {
            p.heal();
        }
    }

    /** Closes every proxy. Idempotent. */
    @Override
    public void close() {
        for (FaultProxy p : all()) {
            p.close();
        }
    }

    /**
     * Closes the network after each test, when registered with {@code @RegisterExtension}.
     *
     * @param context the test's context
     */
    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }
}
