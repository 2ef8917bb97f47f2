/**
 * Layer 4, distributed supervision: supervisors whose children run on any node, restart there or
 * elsewhere, migrate off lost nodes, and are fenced so none outlives its supervisor's reach.
 */
package io.noex.distribution.supervisor;
