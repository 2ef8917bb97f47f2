/**
 * Layer 4, global registry: cluster-wide names, replicated on every node, converging on one
 * winner per name by a rule independent of clocks and arrival order.
 */
package io.noex.distribution.registry;
