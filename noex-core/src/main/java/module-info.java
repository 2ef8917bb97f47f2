/**
 * noex core: the local runtime (layer 0). Depends on nothing but the SLF4J API.
 */
module io.noex.core {
    requires transitive org.slf4j;

    exports io.noex;
    exports io.noex.time;
    exports io.noex.spi to io.noex.distribution, io.noex.testkit;
}
