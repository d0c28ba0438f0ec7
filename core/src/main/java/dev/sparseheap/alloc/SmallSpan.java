/*
 * A span of pages cut into equal objects of one size class, with an allocation bitmap.
 *
 * Bitmap. One bit per object, 1 = allocated, in long words accessed through a VarHandle. Bits
 * past the last object are set once at creation and never cleared, so a scan needs no bound
 * check. Only the span's current owner sets bits (allocation, one CAS on the word); any thread
 * clears them (free, one CAS on the word). Because nobody but the owner ever sets a bit, a free
 * whose CAS finds its bit already clear is a double free: it throws and has changed nothing. Of
 * two threads freeing the same object at once exactly one sees the bit set.
 *
 * Counting. Frees count nothing: the bitmap is the count. The owner keeps ownerFree, free slots
 * it has counted and not yet used; frees only ever add clear bits while a span is owned, so
 * invariant: clear bits >= ownerFree. When ownerFree runs out the owner counts the clear bits
 * again (a popcount over at most 16 words), which picks up every free since its last count.
 *
 * States and their transitions:
 *
 *   (new) ──────────▶ CACHED          a cache takes a new span from the page heap
 *   CACHED ─────────▶ FULL            its owner gives it up with fewer than reuseThreshold free slots
 *   CACHED ─────────▶ PARTIAL         its owner gives it up with at least that many, not all free
 *   CACHED ─────────▶ RETURNED        its owner gives it up with every slot free
 *   FULL ───────────▶ PARTIAL         the free that brings it to reuseThreshold free slots
 *   FULL, PARTIAL ──▶ RETURNED        the free that leaves every slot free
 *   PARTIAL ────────▶ CACHED          a cache takes it from the central list
 *
 *   CACHED    owned by one thread cache (or by its class's shared allocator under the class
 *             lock). Frees only clear their bit; the owner sees them when it counts again. A
 *             cached span is never returned, even when every object is free: the owner will
 *             reuse it.
 *   PARTIAL   in its class's central list, at least reuseThreshold free slots.
 *   FULL      in no list, fewer than reuseThreshold free slots; each free counts the bitmap
 *             and the one that reaches the threshold moves it to PARTIAL.
 *   RETURNED  every object free and nobody holds it: its pages are back in the page heap.
 *             The bitmap is all clear, so a late free of one of its addresses is a double free.
 *
 * Every transition happens under the class lock, which decides it from the bitmap; frees only
 * read the state. Uncached spans gain no allocated bit, so their clear bits only grow and a
 * decision that the span is empty cannot be undone by a racing free. The one race that matters
 * is a free against its span leaving CACHED: the owner stores the new state and then counts
 * the bits, a free clears its bit and then reads the state, all sequentially consistent, so
 * either the count sees the clear bit or the free sees the state and asks the class lock to
 * move the span (CentralList.afterFree). A free that reads FULL counts after its clear, so the
 * last clear of an uncached span, in that order, is followed by a count that sees every clear:
 * the threshold cannot be crossed unnoticed. A free that reads PARTIAL asks only when its own
 * word became empty and then every word is empty: of two racing frees that empty a span, the
 * later in that order sees the other's clear bit.
 *
 * Reuse threshold. A span given up full goes back to the central list only once a quarter of
 * its objects (at least one) are free. A span that went back on its first free would hand its
 * next owner a single slot, and under random frees the owner would trade spans at the class
 * lock on nearly every allocation while scanning nearly full bitmaps; with an eighth the
 * random-replacement workloads still ran markedly slower. The slots a FULL span holds back are
 * fewer than a quarter of it.
 *
 * Zeroing. freshIndex is a high-water mark: no slot at or above it has been handed out since
 * the span was created. If the page heap says the span's memory is zero (needsZero false), a
 * fresh slot needs no zeroing; the owner reports that with the low bit of the address it
 * returns (addresses are at least 8-byte aligned, so the bit is free).
 */
package dev.sparseheap.alloc;

import dev.sparseheap.page.Span;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A span of small objects of one size class.
 *
 * <p>Thread safety: {@link #free}, {@link #objectBase}, {@link #isAllocated} and the counting
 * methods may be called by any thread at any time. {@link #allocate} and {@link #recount} may be
 * called only by the span's current owner (a thread cache holding it, or its class's shared
 * allocator under the class lock); ownership passes through the class lock, which orders the
 * owner fields. State transitions are made by {@link CentralList} under its lock.
 */
final class SmallSpan extends Span {

    static final int CACHED = 1;
    static final int PARTIAL = 2;
    static final int FULL = 3;
    static final int RETURNED = 4;

    /** Set in an address returned by {@link #allocate} when the object may hold old bytes. */
    static final long DIRTY = 1L;

    private static final VarHandle BITS = MethodHandles.arrayElementVarHandle(long[].class);

    private final CentralList central;
    private final int sizeClass;
    private final long objectSize;
    private final int objects;
    private final long reciprocal;
    private final long[] allocated;
    /** Bytes from base() to the end of the last object. */
    private final long objectBytes;
    /** The last word's value when all its objects are free: the tail bits. */
    private final long emptyLastWord;
    /** Free slots at which an uncached span is worth a cache's while: a quarter, at least one. */
    private final int reuseThreshold;

    /** One of CACHED, PARTIAL, FULL, RETURNED; written under the class lock. */
    private volatile int state;

    /** Free slots counted by the owner and not yet handed out; owner only. */
    private int ownerFree;
    /** The bitmap word where the owner's next scan starts; owner only. */
    private int scanWord;
    /** No slot at or above this index was handed out since creation; owner only. */
    private int freshIndex;

    /** Links in the central list's partial list; guarded by the class lock. */
    SmallSpan previousPartial;
    SmallSpan nextPartial;
    /** Position in the central list's registry of all spans; guarded by the class lock. */
    int registryIndex;

    SmallSpan(long base, long pages, boolean needsZero, CentralList central) {
        super(base, pages, needsZero);
        this.central = central;
        this.sizeClass = central.sizeClass();
        this.objectSize = SizeClasses.objectSize(sizeClass);
        this.objects = SizeClasses.objectsPerSpan(sizeClass);
        this.reciprocal = SizeClasses.reciprocal(sizeClass);
        this.allocated = new long[(objects + 63) >>> 6];
        this.objectBytes = objects * objectSize;
        int tailBits = allocated.length * 64 - objects;
        this.emptyLastWord = tailBits == 0 ? 0 : -1L << (64 - tailBits);
        allocated[allocated.length - 1] = emptyLastWord;
        this.reuseThreshold = Math.max(1, objects / 4);
        this.ownerFree = objects;
        this.state = CACHED;
    }

    int sizeClass() {
        return sizeClass;
    }

    long objectSize() {
        return objectSize;
    }

    int objects() {
        return objects;
    }

    int reuseThreshold() {
        return reuseThreshold;
    }

    CentralList central() {
        return central;
    }

    int state() {
        return state;
    }

    /** Moves the span to {@code newState}; the caller holds the class lock. */
    void setState(int newState) {
        state = newState;
    }

    int ownerFree() {
        return ownerFree;
    }

    void setOwnerFree(int free) {
        ownerFree = free;
    }

    /**
     * Hands out one object; owner only, and only while {@link #ownerFree()} is positive.
     *
     * @return the object's address, with {@link #DIRTY} set when its bytes may be non-zero
     */
    long allocate() {
        long[] words = allocated;
        int word = scanWord;
        long current;
        long bit;
        do {
            while (~(current = (long) BITS.getOpaque(words, word)) == 0) {
                word = word + 1 == words.length ? 0 : word + 1;
            }
            bit = ~current & (current + 1);
        } while (!BITS.compareAndSet(words, word, current, current | bit));
        scanWord = word;
        ownerFree--;
        int slot = word << 6 | Long.numberOfTrailingZeros(bit);
        long address = base() + slot * objectSize;
        if (slot >= freshIndex) {
            freshIndex = slot + 1;
            return needsZero() ? address | DIRTY : address;
        }
        return address | DIRTY;
    }

    /**
     * Counts the free slots again, picking up the frees since the owner last counted; owner only.
     *
     * @return true when the owner now has a free slot
     */
    boolean recount() {
        ownerFree = freeObjects();
        return ownerFree > 0;
    }

    /**
     * Frees the object at {@code address}, which the caller found inside this span.
     *
     * @throws IllegalArgumentException if {@code address} is not the start of an object, or the
     *                                  object is not allocated; nothing changes then
     */
    void free(long address) {
        int index = indexOf(address);
        int word = index >>> 6;
        long bit = 1L << index;
        long before = (long) BITS.getAndBitwiseAnd(allocated, word, ~bit);
        if ((before & bit) == 0) {
            throw new IllegalArgumentException(String.format(
                    "double free: 0x%x is not an allocated object (%d-byte class)", address, objectSize));
        }
        int now = state;
        if (now == FULL && freeObjects() >= reuseThreshold
                || now == PARTIAL && wordEmpty(word, before & ~bit) && isEmpty()) {
            central.afterFree(this);
        }
    }

    private boolean wordEmpty(int word, long value) {
        return value == (word == allocated.length - 1 ? emptyLastWord : 0);
    }

    /** Whether every object is free (a racy answer while the span is owned). */
    boolean isEmpty() {
        long[] words = allocated;
        for (int i = 0; i < words.length; i++) {
            if (!wordEmpty(i, (long) BITS.getVolatile(words, i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code address} lies among the objects of this span (one unsigned compare). */
    boolean holdsObjectsAt(long address) {
        return Long.compareUnsigned(address - base(), objectBytes) < 0;
    }

    private int indexOf(long address) {
        long offset = address - base();
        int index = (int) (offset * reciprocal >>> 32);
        if (index >= objects || index * objectSize != offset) {
            throw new IllegalArgumentException(String.format(
                    "0x%x is not the start of an object: it lies inside a span of %d-byte objects at 0x%x",
                    address, objectSize, base()));
        }
        return index;
    }

    /** Whether {@code address} is the start of an allocated object of this span. */
    boolean isAllocated(long address) {
        long offset = address - base();
        if (offset < 0 || offset >= objectBytes) {
            return false;
        }
        int index = (int) (offset * reciprocal >>> 32);
        return index * objectSize == offset && isSlotAllocated(index);
    }

    /** The start of the allocated object containing {@code address}, or 0. */
    long objectBase(long address) {
        long offset = address - base();
        if (offset < 0 || offset >= objectBytes) {
            return 0;
        }
        int index = (int) (offset * reciprocal >>> 32);
        return isSlotAllocated(index) ? base() + index * objectSize : 0;
    }

    private boolean isSlotAllocated(int index) {
        return ((long) BITS.getOpaque(allocated, index >>> 6) & 1L << index) != 0;
    }

    /** Allocated objects now (a racy count while other threads allocate or free). */
    int allocatedObjects() {
        return objects - freeObjects();
    }

    /** Free objects now, from the bitmap (a racy count while other threads allocate or free). */
    int freeObjects() {
        long[] words = allocated;
        int clear = 0;
        for (int i = 0; i < words.length; i++) {
            clear += Long.bitCount(~(long) BITS.getVolatile(words, i));
        }
        return clear;
    }

    /** Bytes of the allocation bitmap. */
    long bitmapBytes() {
        return allocated.length * (long) Long.BYTES;
    }

    /** The tail bits past the last object are all still set. */
    boolean tailIntact() {
        long last = (long) BITS.getOpaque(allocated, allocated.length - 1);
        return (last & emptyLastWord) == emptyLastWord;
    }
}
