/**
 * Example behaviors: {@link io.noex.examples.Counter} and {@link io.noex.examples.Echo}, with
 * their messages as records; {@link io.noex.examples.ExampleBehaviors}, which registers every
 * example behavior (for remote spawn) and message type (for the wire) on a node; and
 * {@link io.noex.examples.ExampleCluster}, the few in-JVM nodes the example programs run on.
 */
package io.noex.examples;
