package io.noex.testkit;

import io.noex.Node;
import io.noex.distribution.ClusterMembership;

/**
 * Code a test runs inside a node's own JVM: it registers behaviors, starts processes and answers
 * the test's {@link JvmNode#command(String) commands}. Name the class with
 * {@link JvmNodeOptions.Builder#setup(Class)}; the child JVM creates it with its public no-argument
 * constructor (it is on the test's class path, which the child inherits).
 * {@snippet :
 * public static final class Echoes implements JvmNodeSetup {
 *     public Echoes() { }
 *     @Override public void beforeStart(Node node) {
 *         BehaviorRegistry.register(node, "echo", new EchoServer());
 *     }
 *     @Override public String command(Node node, String line) {
 *         return Integer.toString(node.stats().processCount());
 *     }
 * }
 * JvmNode b = cluster.start("b", JvmNodeOptions.builder().setup(Echoes.class).build());
 * }
 *
 * <p>Threading: {@link #beforeStart} and {@link #afterStart} run once on the child's main thread,
 * in that order; {@link #command} runs on the same thread, one command at a time.
 */
public interface JvmNodeSetup {

    /**
     * Runs before the node joins the cluster: register behaviors and message types here, so a
     * peer never sees the node without them.
     *
     * @param node the child's node
     */
    default void beforeStart(Node node) {
    }

    /**
     * Runs once the cluster runs (it may not have met its seeds yet), before the child reports
     * that it is up.
     *
     * @param node the child's node
     * @param cluster its cluster
     */
    default void afterStart(Node node, ClusterMembership cluster) {
    }

    /**
     * Answers one command sent with {@link JvmNode#command(String)}. A thrown exception is reported
     * to the caller as a failure (with its message), and the node keeps running.
     *
     * @param node the child's node
     * @param command the line the test sent
     * @return a one-line answer (line breaks are replaced with spaces)
     */
    default String command(Node node, String command) {
        throw new UnsupportedOperationException("this setup understands no commands: " + command);
    }
}
