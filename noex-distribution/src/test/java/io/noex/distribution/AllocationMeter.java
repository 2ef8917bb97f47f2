package io.noex.distribution;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;

/**
 * Bytes allocated by the current thread, from HotSpot's per-thread counter
 * ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}); reached by reflection because
 * the test sources compile as part of a module that does not read {@code jdk.management}.
 */
public final class AllocationMeter {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Method ALLOCATED;

    static {
        try {
            ALLOCATED = Class.forName("com.sun.management.ThreadMXBean").getMethod("getThreadAllocatedBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private AllocationMeter() {
    }

    /** @return bytes this thread has allocated so far */
    public static long allocatedByThisThread() {
        try {
            return (long) ALLOCATED.invoke(THREADS, Thread.currentThread().threadId());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the JVM does not count allocated bytes per thread", e);
        }
    }

    /**
     * @param work what to measure
     * @return bytes this thread allocated while {@code work} ran
     */
    public static long allocatedBy(Runnable work) {
        long before = allocatedByThisThread();
        work.run();
        return allocatedByThisThread() - before;
    }
}
