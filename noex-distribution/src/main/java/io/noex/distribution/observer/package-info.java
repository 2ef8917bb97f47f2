/** Layer 4, observer: cluster snapshots gathered from every member. */
package io.noex.distribution.observer;
