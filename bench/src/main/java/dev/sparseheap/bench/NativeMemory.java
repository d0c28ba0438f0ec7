/*
 * Every benchmark writes allocated memory through one segment that spans the whole address
 * space, so that writes cost the same for every allocator: no allocator's own segment or buffer
 * type is on the measured path. Writes make resident memory real (one byte in every 4 KiB page)
 * and let workloads check that objects keep what was written into them.
 */
package dev.sparseheap.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads and writes native memory at raw addresses through one global segment
 * ({@code MemorySegment.NULL.reinterpret(Long.MAX_VALUE)}).
 *
 * <p>Stateless and thread-safe. Callers must pass addresses of live allocations: there is no
 * bounds check beyond the address space, exactly as with C pointers.
 */
public final class NativeMemory {

    /** Granule for touching memory: the smallest physical page of the supported platforms. */
    public static final long TOUCH_STRIDE = 4096;

    @SuppressWarnings("restricted")
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private NativeMemory() {
    }

    public static void putByte(long address, byte value) {
        ALL.set(ValueLayout.JAVA_BYTE, address, value);
    }

    public static byte getByte(long address) {
        return ALL.get(ValueLayout.JAVA_BYTE, address);
    }

    public static void putLong(long address, long value) {
        ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, address, value);
    }

    public static long getLong(long address) {
        return ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, address);
    }

    /** Sets {@code length} bytes at {@code address} to {@code value}. */
    public static void fill(long address, long length, byte value) {
        ALL.asSlice(address, length).fill(value);
    }

    /** Copies {@code length} bytes between allocations that do not overlap. */
    public static void copy(long from, long to, long length) {
        MemorySegment.copy(ALL, from, ALL, to, length);
    }

    /**
     * Writes one byte in every {@link #TOUCH_STRIDE} bytes of {@code [address + from, address + to)},
     * starting at {@code from}, so the pages behind that range become resident.
     */
    public static void touch(long address, long from, long to, byte value) {
        for (long offset = from; offset < to; offset += TOUCH_STRIDE) {
            ALL.set(ValueLayout.JAVA_BYTE, address + offset, value);
        }
    }

    /** Whether the {@code length} bytes at {@code address} are all zero. */
    public static boolean isZero(long address, long length) {
        for (long offset = 0; offset < length; offset++) {
            if (ALL.get(ValueLayout.JAVA_BYTE, address + offset) != 0) {
                return false;
            }
        }
        return true;
    }
}
