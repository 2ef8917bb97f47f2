package io.noex.cli.demo;

import java.util.List;

/**
 * Something a demo node reported, as it happened: an {@code EVENT} line of the {@link DemoWire}
 * protocol, stamped with when the demo read it.
 *
 * @param node the reporting node's name ({@code a}, {@code b}, {@code c})
 * @param kind what happened: {@code up}, {@code down}, {@code registered}, {@code monitor-down},
 *     {@code node-failure}, {@code migrated}, {@code supervisor}, or {@code exited} (the JVM ended)
 * @param args the event's fields
 * @param atNanos {@link System#nanoTime()} when the demo read it
 */
record DemoEvent(String node, String kind, List<String> args, long atNanos) {

    DemoEvent {
        args = List.copyOf(args);
    }

    /** @return field {@code i}, or an empty string if there is none */
    String arg(int i) {
        return i < args.size() ? args.get(i) : "";
    }
}
