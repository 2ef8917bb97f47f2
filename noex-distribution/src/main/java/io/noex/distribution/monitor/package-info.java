/**
 * Layer 4, monitors and links across nodes (RemoteMonitor, RemoteLink): the protocol, the tables
 * each side keeps, and what a node's loss settles.
 */
package io.noex.distribution.monitor;
