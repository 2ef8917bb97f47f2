/**
 * noex's Micrometer binding: {@link io.noex.micrometer.NoexMetrics} binds a node's process and
 * cluster counters to a {@code MeterRegistry}. An optional module: add {@code noex-micrometer} to
 * use it; noex itself does not depend on Micrometer.
 */
package io.noex.micrometer;
