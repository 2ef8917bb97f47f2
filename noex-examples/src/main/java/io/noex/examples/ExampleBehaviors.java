package io.noex.examples;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.StartOptions;
import io.noex.distribution.BehaviorRegistry;
import io.noex.distribution.Serialization;
import io.noex.examples.chat.ChatRoom;
import io.noex.examples.workers.Worker;
import java.util.List;

/**
 * The example behaviors every node of the {@code noex} command hosts: {@value #COUNTER},
 * {@value #ECHO}, {@value Worker#BEHAVIOR} (the worker pool's worker) and
 * {@value ChatRoom#BEHAVIOR}. {@link #registerAll} registers, on one node, the behaviors (so
 * other nodes can {@code RemoteSpawn} them there) and their message records (so they can cross
 * the network); call it on every node, before {@code Cluster.start}.
 * {@snippet :
 * Node node = Node.create("a");
 * ExampleBehaviors.registerAll(node);
 * ExampleBehaviors.startServers(node);          // a counter and an echo, registered locally by name
 * ClusterMembership.of(node).start(config);
 * // on another node: GenServer.call(new GenServerRef("counter", aId), new Counter.Get())
 * }
 */
public final class ExampleBehaviors {

    /** The name of {@link Counter}, as a behavior and as the local name of the server {@link #startServers} starts. */
    public static final String COUNTER = "counter";

    /** The name of {@link Echo}, as a behavior and as the local name of the server {@link #startServers} starts. */
    public static final String ECHO = "echo";

    // Behaviors hold no state, so one instance each serves every node in the JVM; registering the
    // same instance again is allowed, which makes registerAll idempotent.
    private static final Counter COUNTER_BEHAVIOR = new Counter();
    private static final Echo ECHO_BEHAVIOR = new Echo();

    private ExampleBehaviors() {
    }

    /** @return the counter behavior */
    public static Counter counter() {
        return COUNTER_BEHAVIOR;
    }

    /** @return the echo behavior */
    public static Echo echo() {
        return ECHO_BEHAVIOR;
    }

    /** @return the behavior names {@link #registerAll} registers */
    public static List<String> names() {
        return List.of(COUNTER, ECHO, Worker.BEHAVIOR, ChatRoom.BEHAVIOR);
    }

    /**
     * Registers the example behaviors and their message records on {@code node}. Idempotent.
     *
     * @param node the node
     */
    public static void registerAll(Node node) {
        Serialization.register(node, "noex.examples.Counter.Increment", Counter.Increment.class);
        Serialization.register(node, "noex.examples.Counter.Get", Counter.Get.class);
        Serialization.register(node, "noex.examples.Echo.Ping", Echo.Ping.class);
        Serialization.register(node, "noex.examples.Echo.Pong", Echo.Pong.class);
        BehaviorRegistry.register(node, COUNTER, COUNTER_BEHAVIOR);
        BehaviorRegistry.register(node, ECHO, ECHO_BEHAVIOR);
        Worker.register(node);
        ChatRoom.register(node);
    }

    /**
     * Starts one counter and one echo server on {@code node}, registered there under the local
     * names {@value #COUNTER} and {@value #ECHO}, so that any node can reach them as
     * {@code new GenServerRef("counter", nodeId)}.
     *
     * @param node the node
     * @return the two refs, counter first
     * @throws io.noex.NameAlreadyRegisteredException if either name is taken on the node
     */
    public static List<GenServerRef> startServers(Node node) {
        GenServerRef counter = node.start(COUNTER_BEHAVIOR, StartOptions.builder().name(COUNTER).build());
        GenServerRef echo = node.start(ECHO_BEHAVIOR, StartOptions.builder().name(ECHO).build());
        return List.of(counter, echo);
    }
}
