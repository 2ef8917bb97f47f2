/**
 * noex examples: small behaviors that every node of the {@code noex} command hosts, so that the
 * demo, {@code noex node} and {@code noex status} have something real to call, spawn and count.
 */
module io.noex.examples {
    requires transitive io.noex.distribution;

    exports io.noex.examples;
}
