/*
 * Size classes: the fixed set of object sizes that small allocations are rounded up to.
 *
 * The rule that generates them (at class initialisation, nothing is hand-written):
 *
 *   - 8 bytes, then every multiple of 16 up to 128 bytes;
 *   - above 128 bytes, eight evenly spaced classes per power of two: between 2^k and 2^(k+1)
 *     the step is 2^k / 8, up to MAX_SMALL_SIZE (32 KiB).
 *
 * Waste bound. A request of s bytes lands in the smallest class c >= s; with p the class below
 * c, the worst request is p + 1 and wastes (c - p - 1) / c of the object.
 *   - Above 128 bytes, c >= 2^k + step with step = 2^k / 8, so the waste is below
 *     step / (9 step) = 11.1 %: the 12.5 % bound holds. (Four classes per power of two, the
 *     spacing some allocators use, would waste up to 19.4 % at 129 -> 160 bytes and break it.)
 *   - At or below 128 bytes no spacing can keep a relative bound while every class of 16 bytes
 *     or more stays 16-byte aligned; there the waste is bounded absolutely: at most 15 bytes
 *     (7 bytes for the 8-byte class).
 *   The exact maximum of every class is in docs/SIZE_CLASSES.md, generated from this code.
 *
 * Alignment. Every class of 16 bytes or more is a multiple of 16, and spans start on 8 KiB
 * pages, so every object of such a class is 16-byte aligned. More generally an object of class
 * c is aligned to the largest power of two dividing c (capped at the page size), which
 * mallocAligned uses to serve larger alignments from classes.
 *
 * Span size. Each class gets the fewest 8 KiB pages whose tail (the bytes after the last whole
 * object) is at most 12.5 % of the span and that hold at least 64 objects, or reach 64 KiB. The
 * object floor matters for speed: an owner that runs out of slots recounts its span and, when
 * nothing was freed, trades it at the class lock, and a span given up full costs the lock again
 * when it comes back to the central list and when it empties; a single page holds only 8
 * objects of 1 KiB and would pay that every 8 allocations. 64 KiB bounds what one cache's
 * span of a large class holds back (the same page size mimalloc uses for small objects).
 *
 * Lookup. Sizes up to 1024 bytes go through a table indexed by (size + 7) / 8, larger ones
 * through a table indexed by (size + 127) / 128: two loads, no search (the same two-table shape
 * as the Go runtime's size_to_class8 / size_to_class128). Class 0 is unused so that a zero in a
 * table can never be mistaken for a class.
 *
 * Division. Freeing an address must find its object index, offset / size, on every free. Each
 * class carries a 32-bit reciprocal so that (offset * reciprocal) >>> 32 equals offset / size for
 * every offset inside a span of that class; a test checks this exhaustively.
 */
package dev.sparseheap.alloc;

import dev.sparseheap.arena.HeapArena;

import java.util.ArrayList;
import java.util.List;

/**
 * The size classes of small objects and their lookup tables.
 *
 * <p>Immutable after class initialisation; safe for use by any number of threads.
 */
public final class SizeClasses {

    /** Largest size served from size classes; larger objects get a span of their own. */
    public static final int MAX_SMALL_SIZE = 32 * 1024;

    private static final int SMALL_LOOKUP_LIMIT = 1024;
    private static final int SMALL_STEP_SHIFT = 3;
    private static final int LARGE_STEP_SHIFT = 7;
    /** A span holds at least this many objects, unless it reaches MIN_SPAN_BYTES_FOR_FEW_OBJECTS. */
    static final int MIN_OBJECTS_PER_SPAN = 64;
    /** Span bytes at which a span may hold fewer than MIN_OBJECTS_PER_SPAN objects. */
    static final long MIN_SPAN_BYTES_FOR_FEW_OBJECTS = 64 * 1024;

    private static final int[] OBJECT_SIZE;
    private static final int[] SPAN_PAGES;
    private static final int[] OBJECTS_PER_SPAN;
    private static final long[] RECIPROCAL;
    private static final int[] NATURAL_ALIGNMENT;
    private static final byte[] CLASS_BY_8;
    private static final byte[] CLASS_BY_128;

    static {
        List<Integer> sizes = generateSizes();
        int count = sizes.size() + 1;
        OBJECT_SIZE = new int[count];
        SPAN_PAGES = new int[count];
        OBJECTS_PER_SPAN = new int[count];
        RECIPROCAL = new long[count];
        NATURAL_ALIGNMENT = new int[count];
        for (int cls = 1; cls < count; cls++) {
            int size = sizes.get(cls - 1);
            OBJECT_SIZE[cls] = size;
            SPAN_PAGES[cls] = spanPagesFor(size);
            OBJECTS_PER_SPAN[cls] = (int) (SPAN_PAGES[cls] * HeapArena.PAGE_SIZE / size);
            RECIPROCAL[cls] = 0xFFFF_FFFFL / size + 1;
            NATURAL_ALIGNMENT[cls] = (int) Math.min(Integer.lowestOneBit(size), HeapArena.PAGE_SIZE);
        }
        CLASS_BY_8 = new byte[SMALL_LOOKUP_LIMIT / 8 + 1];
        CLASS_BY_128 = new byte[MAX_SMALL_SIZE / 128 + 1];
        int cls = 1;
        for (int i = 0; i < CLASS_BY_8.length; i++) {
            while (OBJECT_SIZE[cls] < i << SMALL_STEP_SHIFT) {
                cls++;
            }
            CLASS_BY_8[i] = (byte) cls;
        }
        cls = 1;
        for (int i = 0; i < CLASS_BY_128.length; i++) {
            while (OBJECT_SIZE[cls] < i << LARGE_STEP_SHIFT) {
                cls++;
            }
            CLASS_BY_128[i] = (byte) cls;
        }
    }

    private SizeClasses() {
    }

    private static List<Integer> generateSizes() {
        List<Integer> sizes = new ArrayList<>();
        sizes.add(8);
        for (int size = 16; size <= 128; size += 16) {
            sizes.add(size);
        }
        for (int power = 128; power < MAX_SMALL_SIZE; power *= 2) {
            int step = power / 8;
            for (int size = power + step; size <= 2 * power; size += step) {
                sizes.add(size);
            }
        }
        return sizes;
    }

    private static int spanPagesFor(int size) {
        for (int pages = 1; ; pages++) {
            long spanBytes = pages * HeapArena.PAGE_SIZE;
            if (spanBytes >= size && (spanBytes % size) * 8 <= spanBytes && holdsEnoughObjects(spanBytes, size)) {
                return pages;
            }
        }
    }

    /** Whether a span of {@code spanBytes} spreads its owner's refills far enough apart. */
    private static boolean holdsEnoughObjects(long spanBytes, int size) {
        return spanBytes / size >= MIN_OBJECTS_PER_SPAN || spanBytes >= MIN_SPAN_BYTES_FOR_FEW_OBJECTS;
    }

    /** Number of classes plus one: valid classes are 1 to {@code count() - 1}. */
    public static int count() {
        return OBJECT_SIZE.length;
    }

    /**
     * The class serving a request of {@code size} bytes; a request of 0 bytes gets the smallest
     * class. The caller guarantees {@code 0 <= size <= MAX_SMALL_SIZE}.
     */
    public static int classOf(long size) {
        if (size <= SMALL_LOOKUP_LIMIT) {
            return CLASS_BY_8[(int) (size + 7) >>> SMALL_STEP_SHIFT];
        }
        return CLASS_BY_128[(int) (size + 127) >>> LARGE_STEP_SHIFT];
    }

    /**
     * The smallest class that holds {@code size} bytes at an address aligned to
     * {@code alignment}, or 0 when no class does.
     */
    public static int classOf(long size, long alignment) {
        if (size > MAX_SMALL_SIZE) {
            return 0;
        }
        for (int cls = classOf(size); cls < count(); cls++) {
            if (NATURAL_ALIGNMENT[cls] >= alignment) {
                return cls;
            }
        }
        return 0;
    }

    /** Bytes of every object of class {@code cls}. */
    public static int objectSize(int cls) {
        return OBJECT_SIZE[cls];
    }

    /** Heap pages (8 KiB each) of a span of class {@code cls}. */
    public static int spanPages(int cls) {
        return SPAN_PAGES[cls];
    }

    /** Objects that fit in one span of class {@code cls}. */
    public static int objectsPerSpan(int cls) {
        return OBJECTS_PER_SPAN[cls];
    }

    /** The alignment every object of class {@code cls} has: the largest power of two dividing its size, at most a page. */
    public static int naturalAlignment(int cls) {
        return NATURAL_ALIGNMENT[cls];
    }

    /** The multiplier that turns an offset inside a span of class {@code cls} into an object index. */
    static long reciprocal(int cls) {
        return RECIPROCAL[cls];
    }

    /** The largest fraction of an object of class {@code cls} that a request can leave unused. */
    public static double maxInternalWaste(int cls) {
        int smallestRequest = cls == 1 ? 1 : OBJECT_SIZE[cls - 1] + 1;
        return (double) (OBJECT_SIZE[cls] - smallestRequest) / OBJECT_SIZE[cls];
    }

    /** The fraction of a span of class {@code cls} after its last whole object. */
    public static double tailWaste(int cls) {
        long spanBytes = SPAN_PAGES[cls] * HeapArena.PAGE_SIZE;
        return (double) (spanBytes % OBJECT_SIZE[cls]) / spanBytes;
    }
}
