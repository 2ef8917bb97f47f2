package io.noex.bench.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Recording;

/**
 * A JDK Flight Recorder recording of this JVM around one scenario (the profile mode): Java stacks
 * sampled every millisecond while running Java code ({@code jdk.ExecutionSample}) and while in
 * native code such as {@code epoll_wait} or a socket read ({@code jdk.NativeMethodSample}), plus
 * parks and GC. Read it with {@code jfr view hot-methods FILE} or {@code jfr print}.
 *
 * <p>Threading: one thread starts and stops it.
 */
final class Jfr {

    private Recording recording;
    private Path file;

    void start(Path to) {
        stop();
        Recording r = new Recording();
        r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
        r.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(1));
        r.enable("jdk.ThreadPark").withThreshold(Duration.ofMillis(1));
        r.enable("jdk.GarbageCollection");
        r.enable("jdk.GCPhasePause");
        r.enable("jdk.ThreadCPULoad").withPeriod(Duration.ofSeconds(1));
        r.start();
        recording = r;
        file = to;
    }

    void stop() {
        if (recording == null) {
            return;
        }
        try {
            recording.stop();
            recording.dump(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            recording.close();
            recording = null;
        }
    }
}
