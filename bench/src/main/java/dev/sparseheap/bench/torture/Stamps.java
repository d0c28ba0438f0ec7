/*
 * Stamps that make any overlap, lost write or stray free visible: the first and the last
 * STAMP_BYTES bytes of every object (the whole object when it is small) get a pattern derived
 * from the object's id by a 64-bit mix, so two objects never carry the same bytes and a slot
 * handed out twice, a copy that lost bytes or memory reused while still live all show up as a
 * mismatch when the holder checks the object before freeing it.
 */
package dev.sparseheap.bench.torture;

import dev.sparseheap.bench.NativeMemory;

/** Writing and checking id-derived patterns in objects. Stateless and thread-safe. */
final class Stamps {

    /** Bytes stamped at each end of an object. */
    static final long STAMP_BYTES = 64;

    private Stamps() {
    }

    /** Writes the stamp of {@code id} into the object. */
    static void stamp(long address, long size, long id) {
        long mix = mix(id);
        for (long offset : offsets(size)) {
            writeRange(address, offset, Math.min(size, offset + STAMP_BYTES), mix);
        }
    }

    /**
     * The first offset at which the object does not carry the stamp of {@code id} within its first
     * {@code prefix} bytes and, if {@code wholeTail}, its tail; -1 when it does.
     */
    static long mismatch(long address, long size, long id, long prefix, boolean wholeTail) {
        long mix = mix(id);
        long head = mismatchIn(address, 0, Math.min(Math.min(size, STAMP_BYTES), prefix), mix);
        if (head >= 0 || !wholeTail) {
            return head;
        }
        long tail = Math.max(0, size - STAMP_BYTES);
        return mismatchIn(address, tail, size, mix);
    }

    /** The first offset at which the object does not carry its whole stamp; -1 when it does. */
    static long mismatch(Tracked object) {
        return mismatch(object.address(), object.size(), object.id(), object.size(), true);
    }

    /** The first of the stamped bytes that is not zero, or -1: for fresh calloc memory. */
    static long nonZero(long address, long size) {
        for (long offset : offsets(size)) {
            for (long i = offset; i < Math.min(size, offset + STAMP_BYTES); i++) {
                if (NativeMemory.getByte(address + i) != 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static long[] offsets(long size) {
        return size <= 2 * STAMP_BYTES ? new long[] {0, STAMP_BYTES} : new long[] {0, size - STAMP_BYTES};
    }

    private static void writeRange(long address, long from, long to, long mix) {
        for (long i = from; i < to; i++) {
            NativeMemory.putByte(address + i, pattern(mix, i));
        }
    }

    private static long mismatchIn(long address, long from, long to, long mix) {
        for (long i = from; i < to; i++) {
            if (NativeMemory.getByte(address + i) != pattern(mix, i)) {
                return i;
            }
        }
        return -1;
    }

    private static byte pattern(long mix, long offset) {
        return (byte) ((mix >>> ((offset & 7) << 3)) + (offset >>> 3));
    }

    /** SplitMix64's finaliser: neighbouring ids get unrelated patterns. */
    private static long mix(long id) {
        long z = id * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
