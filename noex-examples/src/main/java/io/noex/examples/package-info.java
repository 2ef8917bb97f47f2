/**
 * Example behaviors: {@link io.noex.examples.Counter} and {@link io.noex.examples.Echo}, with
 * their messages as records, and {@link io.noex.examples.ExampleBehaviors}, which registers them
 * (behaviors for remote spawn, message types for the wire) on a node.
 */
package io.noex.examples;
