/**
 * noex examples: small programs across a cluster (a distributed counter, a chat room, a worker
 * pool under a distributed supervisor) and the behaviors every node of the {@code noex} command
 * hosts, so that the demo, {@code noex node} and {@code noex status} have something real to call,
 * spawn and count.
 */
module io.noex.examples {
    requires transitive io.noex.distribution;

    exports io.noex.examples;
    exports io.noex.examples.chat;
    exports io.noex.examples.counter;
    exports io.noex.examples.workers;
}
