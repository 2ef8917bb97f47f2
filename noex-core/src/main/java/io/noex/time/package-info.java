/**
 * Injected time: the {@link io.noex.time.Scheduler} a node reads for its clock and timers, so
 * that timing logic can be tested by advancing time instead of sleeping.
 */
package io.noex.time;
