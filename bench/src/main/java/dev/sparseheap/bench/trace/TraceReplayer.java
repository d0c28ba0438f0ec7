/*
 * Replays a parsed trace on an allocator. Only the events are timed: the trace is already in
 * primitive arrays, and the loop does nothing but call the allocator and write memory. Every
 * allocated object gets one byte written in every 4 KiB (a resized object, in its new part), so
 * the resident memory the allocator causes is real and comparable across allocators.
 */
package dev.sparseheap.bench.trace;

import dev.sparseheap.bench.Allocator;
import dev.sparseheap.bench.NativeMemory;

/** Replays traces. Stateless and thread-safe (each call uses only its arguments). */
public final class TraceReplayer {

    private TraceReplayer() {
    }

    /**
     * Runs every event of {@code trace} on {@code allocator}; returns the elapsed nanoseconds.
     * Objects the trace never frees stay allocated.
     */
    public static long replay(Trace trace, Allocator allocator) {
        byte[] kinds = trace.kinds();
        int[] ids = trace.ids();
        long[] sizes = trace.sizes();
        byte[] alignShifts = trace.alignShifts();
        long[] handles = new long[trace.maxId() + 1];
        long[] liveSizes = new long[trace.maxId() + 1];
        long start = System.nanoTime();
        for (int i = 0; i < kinds.length; i++) {
            int id = ids[i];
            long size = sizes[i];
            switch (kinds[i]) {
                case Trace.ALLOCATE -> handles[id] = touched(allocator, allocator.malloc(size), 0, size);
                case Trace.ZEROED -> handles[id] = touched(allocator, allocator.calloc(size), 0, size);
                case Trace.ALIGNED -> handles[id] = touched(allocator,
                        allocator.mallocAligned(size, 1L << alignShifts[i]), 0, size);
                case Trace.RESIZE -> handles[id] = touched(allocator,
                        allocator.realloc(handles[id], size), liveSizes[id], size);
                default -> allocator.free(handles[id]);
            }
            liveSizes[id] = size;
        }
        return System.nanoTime() - start;
    }

    private static long touched(Allocator allocator, long handle, long from, long to) {
        NativeMemory.touch(allocator.address(handle), from, to, (byte) 1);
        return handle;
    }
}
