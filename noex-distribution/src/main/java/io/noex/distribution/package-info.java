/**
 * noex's distribution API: {@code Cluster}, {@code RemoteCall}, {@code RemoteSpawn},
 * {@code BehaviorRegistry}, {@code GlobalRegistry}, {@code RemoteMonitor}, {@code RemoteLink},
 * {@code DistributedSupervisor}, {@code Serialization}, their configuration and their exceptions.
 * The layers behind it (transport, codec, cluster, remote, coordination) are not exported.
 */
package io.noex.distribution;
