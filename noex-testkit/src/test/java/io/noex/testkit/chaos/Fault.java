package io.noex.testkit.chaos;

import java.time.Duration;
import java.util.List;

/**
 * One fault the {@link ChaosScript} injects; {@link ChaosRun} applies it for a round and then
 * lifts it.
 *
 * <p>Threading: immutable records.
 */
sealed interface Fault {

    /** @return the fault's kind, for the counts in the report */
    String kind();

    /** @return the nodes whose JVM this fault stops (killed or frozen) */
    default List<String> stopped() {
        return List.of();
    }

    /**
     * {@code kill -9} of a node's JVM; it is restarted (same NodeId, new incarnation) when the
     * round ends.
     *
     * @param node the node
     */
    record Kill(String node) implements Fault {
        @Override
        public String kind() {
            return "kill -9 + restart";
        }

        @Override
        public List<String> stopped() {
            return List.of(node);
        }
    }

    /**
     * {@code SIGSTOP} of a node's JVM, {@code SIGCONT} when the round ends.
     *
     * @param node the node
     */
    record Freeze(String node) implements Fault {
        @Override
        public String kind() {
            return "SIGSTOP/SIGCONT";
        }

        @Override
        public List<String> stopped() {
            return List.of(node);
        }
    }

    /**
     * A partition between two groups of nodes (every byte between them discarded), healed when
     * the round ends.
     *
     * @param sideA one group
     * @param sideB the other
     */
    record Partition(List<String> sideA, List<String> sideB) implements Fault {
        @Override
        public String kind() {
            return "partition + heal";
        }
    }

    /**
     * A delay on the link between two nodes, both ways, lifted when the round ends.
     *
     * @param a a node
     * @param b another
     * @param delay how long each chunk waits in the proxy
     */
    record Delay(String a, String b, Duration delay) implements Fault {
        @Override
        public String kind() {
            return "link delay";
        }
    }

    /**
     * Every connection of a node reset at once (the proxy's stand-in for lost packets: a TCP
     * stream cannot lose bytes and go on).
     *
     * @param node the node
     */
    record Drop(String node) implements Fault {
        @Override
        public String kind() {
            return "connection drop";
        }
    }

    /**
     * A node's monitored and linked {@link TargetServer} stopped with an error, and a new one
     * started, so monitors and links fire with a real reason.
     *
     * @param node the node
     */
    record KillTarget(String node) implements Fault {
        @Override
        public String kind() {
            return "target process stopped";
        }
    }
}
