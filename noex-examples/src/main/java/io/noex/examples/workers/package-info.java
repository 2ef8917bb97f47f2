/**
 * The worker pool example: {@link io.noex.examples.workers.Worker}s spread over the cluster by a
 * distributed supervisor, handed out in turn by a {@link io.noex.examples.workers.WorkerPool}, and
 * moved to the surviving nodes when a node leaves ({@link io.noex.examples.workers.WorkerPoolExample}).
 */
package io.noex.examples.workers;
