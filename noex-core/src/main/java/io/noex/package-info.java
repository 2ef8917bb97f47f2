/**
 * noex's local runtime (layer 0): GenServers with mailboxes, call/cast/info, monitors, links,
 * timers, local names and supervisors, with Erlang/OTP's semantics, on virtual threads.
 *
 * <p>Start with {@link io.noex.GenServerBehavior} (the callback contract) and
 * {@link io.noex.GenServer} (the API). {@link io.noex.Node} owns everything a runtime has; the
 * static facades use the current node.
 */
package io.noex;
