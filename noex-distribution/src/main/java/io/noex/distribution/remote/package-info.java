/**
 * Layer 3, remote: calls, casts, sends, spawns and process control across nodes, the table of
 * requests in flight, and the router a clustered node installs.
 */
package io.noex.distribution.remote;
