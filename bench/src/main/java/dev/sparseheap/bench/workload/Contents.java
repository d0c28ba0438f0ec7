/*
 * The invariant every workload checks: an object keeps what was written into it until it is
 * freed. A workload stamps the first and last byte of each object with a tag derived from its
 * size (so no extra bookkeeping travels with objects handed between threads) and verifies both
 * before freeing it. A lost stamp means two live objects overlap or memory was reused early.
 */
package dev.sparseheap.bench.workload;

import dev.sparseheap.bench.Allocator;
import dev.sparseheap.bench.NativeMemory;

/** Stamping and verifying objects. Stateless and thread-safe. */
final class Contents {

    private Contents() {
    }

    static byte tag(long size) {
        return (byte) (size * 0x9E37_79B9L >>> 13 | 1);
    }

    /** Writes the stamp of a {@code size}-byte object. */
    static void stamp(Allocator allocator, long handle, long size) {
        long address = allocator.address(handle);
        byte tag = tag(size);
        NativeMemory.putByte(address, tag);
        NativeMemory.putByte(address + Math.max(0, size - 1), tag);
    }

    /** Checks the stamp of a {@code size}-byte object, then frees it. */
    static void verifyAndFree(Allocator allocator, long handle, long size, String workload) {
        verify(allocator, handle, size, workload);
        allocator.free(handle);
    }

    static void verify(Allocator allocator, long handle, long size, String workload) {
        long address = allocator.address(handle);
        byte tag = tag(size);
        if (NativeMemory.getByte(address) != tag || NativeMemory.getByte(address + Math.max(0, size - 1)) != tag) {
            throw new IllegalStateException(workload + " on " + allocator.name() + ": the " + size
                    + "-byte object at 0x" + Long.toHexString(address) + " lost its contents");
        }
    }

    /** Allocates, stamps and returns a {@code size}-byte object. */
    static long allocate(Allocator allocator, long size) {
        long handle = allocator.malloc(size);
        stamp(allocator, handle, size);
        return handle;
    }

    /**
     * Resizes an object from {@code oldSize} to {@code newSize}: checks that the first byte moved
     * with it, then stamps it for its new size.
     */
    static long resize(Allocator allocator, long handle, long oldSize, long newSize, String workload) {
        verify(allocator, handle, oldSize, workload);
        long moved = allocator.realloc(handle, newSize);
        if (NativeMemory.getByte(allocator.address(moved)) != tag(oldSize)) {
            throw new IllegalStateException(workload + " on " + allocator.name() + ": resizing from "
                    + oldSize + " to " + newSize + " bytes lost the contents");
        }
        stamp(allocator, moved, newSize);
        return moved;
    }
}
