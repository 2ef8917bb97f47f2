/**
 * The chat room example: a {@link io.noex.examples.chat.ChatRoom} process that forwards what one
 * member says to every member's {@link io.noex.examples.chat.Inbox}, on any node, and notices
 * members that went away through monitors ({@link io.noex.examples.chat.ChatExample}).
 */
package io.noex.examples.chat;
