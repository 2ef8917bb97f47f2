/**
 * Layer 2, cluster: membership (a pure view with an explicit transition table), heartbeats and
 * failure detection, gossip discovery, and the routing of frames to the layers above.
 */
package io.noex.distribution.cluster;
