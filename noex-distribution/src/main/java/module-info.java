/**
 * noex distribution: the transport, wire codec, cluster membership, remote messaging and
 * coordination services (layers 1-4), with the public API in {@code io.noex.distribution}.
 */
module io.noex.distribution {
    requires transitive io.noex.core;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport;
    requires msgpack.core;
    requires java.management;

    exports io.noex.distribution;
}
