/**
 * The distributed counter example: one counter process under a global name, updated from every
 * node at once ({@link io.noex.examples.counter.DistributedCounterExample}).
 */
package io.noex.examples.counter;
