/*
 * The heap calls of a torture run, each followed by its checks: a fresh object is non-null, has
 * the usable size it asked for and the alignment, calloc memory is zero, realloc kept the
 * contents, an object is intact before it is freed, and a free that must be rejected throws
 * IllegalArgumentException. Violations are recorded, never thrown, so one bad object does not hide
 * the next; the run stops at the next checkpoint.
 */
package dev.sparseheap.bench.torture;

import dev.sparseheap.SparseHeap;

/** Checked heap operations. Stateless and thread-safe (as the heap is). */
final class Operations {

    private Operations() {
    }

    /** malloc, checked and stamped; null when a violation was recorded. */
    static Tracked malloc(SparseHeap heap, long size, long id, Tally tally) {
        return fresh(heap, heap.malloc(size), size, 1, id, "malloc", tally);
    }

    /** calloc, checked for zeroes and stamped; null when a violation was recorded. */
    static Tracked calloc(SparseHeap heap, long size, long id, Tally tally) {
        long address = heap.calloc(size);
        long dirty = address == 0 ? -1 : Stamps.nonZero(address, size);
        if (dirty >= 0) {
            tally.violation("calloc(%d) at 0x%x: byte %d is not zero".formatted(size, address, dirty));
            return null;
        }
        return fresh(heap, address, size, 1, id, "calloc", tally);
    }

    /** mallocAligned, checked and stamped; null when a violation was recorded. */
    static Tracked aligned(SparseHeap heap, long size, long alignment, long id, Tally tally) {
        return fresh(heap, heap.mallocAligned(size, alignment), size, alignment, id, "mallocAligned", tally);
    }

    /** realloc of a held object, checking that its contents moved with it; null on a violation. */
    static Tracked realloc(SparseHeap heap, Tracked object, long size, Tally tally) {
        if (!intact(object, "before realloc", tally)) {
            return null;
        }
        long address = heap.realloc(object.address(), size);
        if (address != 0) {
            long lost = Stamps.mismatch(address, object.size(), object.id(), Math.min(object.size(), size),
                    size >= object.size());
            if (lost >= 0) {
                tally.violation("realloc(0x%x, %d) from %d bytes to 0x%x lost byte %d"
                        .formatted(object.address(), size, object.size(), address, lost));
                return null;
            }
        }
        return fresh(heap, address, size, 1, object.id(), "realloc", tally);
    }

    /** Checks a held object and frees it. */
    static void free(SparseHeap heap, Tracked object, Tally tally) {
        if (intact(object, "before free", tally)) {
            heap.free(object.address());
        }
    }

    /** Whether the object still carries its stamp; records a violation when not. */
    static boolean intact(Tracked object, String when, Tally tally) {
        long offset = Stamps.mismatch(object);
        if (offset >= 0) {
            tally.violation("object %d at 0x%x (%d bytes) %s: byte %d was overwritten (overlap or reuse)"
                    .formatted(object.id(), object.address(), object.size(), when, offset));
            return false;
        }
        return true;
    }

    /** Frees an address inside a held object: must be rejected, leaving the object intact. */
    static void interiorFree(SparseHeap heap, Tracked object, long salt, Tally tally) {
        if (object.size() < 2) {
            return;
        }
        long interior = object.address() + 1 + salt % (object.size() - 1);
        rejectedFree(heap, interior, "interior address +" + (interior - object.address()), tally);
        if (heap.objectBase(interior) != object.address()) {
            tally.violation("after the interior free of 0x%x, objectBase says 0x%x instead of 0x%x"
                    .formatted(interior, heap.objectBase(interior), object.address()));
        }
        intact(object, "after a rejected interior free", tally);
    }

    /** Frees an address the heap must reject with IllegalArgumentException. */
    static void rejectedFree(SparseHeap heap, long address, String what, Tally tally) {
        try {
            heap.free(address);
            tally.violation("free(0x%x) of %s was accepted".formatted(address, what));
        } catch (IllegalArgumentException expected) {
            tally.badFreesThrown.increment();
        }
    }

    private static Tracked fresh(SparseHeap heap, long address, long size, long alignment, long id, String call,
                                 Tally tally) {
        if (address == 0) {
            tally.violation(call + "(" + size + ") returned 0");
            return null;
        }
        if ((address & (alignment - 1)) != 0) {
            tally.violation("%s(%d, %d) returned 0x%x, not aligned".formatted(call, size, alignment, address));
        }
        long usable = heap.usableSize(address);
        if (usable < size) {
            tally.violation("%s(%d) at 0x%x: usable size %d".formatted(call, size, address, usable));
        }
        Stamps.stamp(address, size, id);
        return new Tracked(address, size, id);
    }
}
