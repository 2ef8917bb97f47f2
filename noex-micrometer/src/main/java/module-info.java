/**
 * noex's optional Micrometer binding: {@code NoexMetrics}, a {@code MeterBinder} for a node's
 * process and cluster counters.
 */
// micrometer-core is an automatic module (a name in its manifest, no descriptor). Its types are
// part of this module's API (MeterBinder, MeterRegistry, Tag), so users must read it: transitive.
@SuppressWarnings("requires-transitive-automatic")
module io.noex.micrometer {
    requires transitive io.noex.distribution;
    requires transitive micrometer.core;

    exports io.noex.micrometer;
}
