/**
 * The seam between layer 0 and the distribution layer: interfaces the local runtime defines and
 * the distribution module implements or calls. Exported only to noex's own modules; applications
 * never need it.
 */
package io.noex.spi;
