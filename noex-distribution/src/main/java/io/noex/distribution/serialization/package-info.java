/**
 * Layer 1, wire codec: MessagePack envelopes and the encoding of user values, with sender-side
 * errors that name the offending value's path and a defensive reader for frames from the network.
 */
package io.noex.distribution.serialization;
