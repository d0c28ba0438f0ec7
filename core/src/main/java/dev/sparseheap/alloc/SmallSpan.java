/*
 * A span of pages cut into equal objects of one size class, with an allocation bitmap.
 *
 * Bitmap. One bit per object, 1 = allocated, in long words accessed through a VarHandle. Bits
 * past the last object are set once at creation and never cleared, so a scan needs no bound
 * check. Only the span's current owner sets bits (allocation); any thread clears them (free),
 * each with one atomic read-modify-write on its word. Because nobody but the owner ever sets a
 * bit, the owner's atomic OR cannot lose a race, and a free whose atomic AND finds its bit
 * already clear is a double free: it throws and has changed nothing. Of two threads freeing the
 * same object at once exactly one sees the bit set.
 *
 * Free slots are counted in two places so that neither side needs the other's lock:
 *   ownerFree  free slots the owner has taken over (plain field, owner only);
 *   control    state << 32 | freeCount: slots freed since the owner last took them
 *              (one atomic word, updated by frees with getAndAdd and by the owner with CAS).
 * Frees clear their bit before they count it, so whoever takes a count is sure to find as many
 * clear bits. Invariant: clear bits = ownerFree + freeCount.
 *
 * States (the high half of control) and their transitions:
 *
 *   (new) ──────────▶ CACHED          a cache takes a new span from the page heap
 *   CACHED ─────────▶ FULL            its owner gives it up with no free slot
 *   CACHED ─────────▶ PARTIAL         its owner gives it up with some free slots
 *   CACHED ─────────▶ RETURNED        its owner gives it up with every slot free
 *   FULL ───────────▶ PARTIAL         the first free after it was given up
 *   FULL, PARTIAL ──▶ RETURNED        the free that leaves every slot free
 *   PARTIAL ────────▶ CACHED          a cache takes it from the central list
 *
 *   CACHED    owned by one thread cache (or by its class's shared allocator under the class
 *             lock). Frees only count; the owner picks the count up when it runs out. A cached
 *             span is never returned, even when every object is free: the owner will reuse it.
 *   PARTIAL   in its class's central list, at least one free slot.
 *   FULL      in no list, no free slot; the free that makes the count 1 moves it to PARTIAL.
 *   RETURNED  every object free and nobody holds it: its pages are back in the page heap.
 *             The bitmap is all clear, so a late free of one of its addresses is a double free.
 * Every transition except CACHED -> CACHED (the owner taking counted frees) happens under the
 * class lock with a CAS on control, so a concurrent free's getAndAdd is either seen by the CAS
 * (which then retries) or sees the new state. The free that makes a FULL or PARTIAL span need a
 * transition (first free of a FULL span, last free of any uncached span) takes the class lock;
 * every other free is two atomics and no lock.
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
 * <p>Thread safety: {@link #free}, {@link #objectBase} and {@link #isAllocated} may be called by
 * any thread at any time. {@link #allocate} and {@link #reclaimFrees} may be called only by the
 * span's current owner (a thread cache holding it, or its class's shared allocator under the
 * class lock); ownership passes through the class lock, which orders the owner fields.
 * State transitions other than reclaiming are made by {@link CentralList} under its lock.
 */
final class SmallSpan extends Span {

    static final int CACHED = 1;
    static final int PARTIAL = 2;
    static final int FULL = 3;
    static final int RETURNED = 4;

    /** Set in an address returned by {@link #allocate} when the object may hold old bytes. */
    static final long DIRTY = 1L;

    private static final VarHandle BITS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle CONTROL;

    static {
        try {
            CONTROL = MethodHandles.lookup().findVarHandle(SmallSpan.class, "control", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final CentralList central;
    private final int sizeClass;
    private final long objectSize;
    private final int objects;
    private final long reciprocal;
    private final long[] allocated;

    @SuppressWarnings("unused") // accessed through CONTROL
    private volatile long control;

    /** Free slots taken over by the owner; owner only. */
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
        int tailBits = allocated.length * 64 - objects;
        if (tailBits > 0) {
            allocated[allocated.length - 1] = -1L << (64 - tailBits);
        }
        this.ownerFree = objects;
        this.control = controlWord(CACHED, 0);
    }

    static long controlWord(int state, int freeCount) {
        return (long) state << 32 | freeCount;
    }

    static int stateOf(long control) {
        return (int) (control >>> 32);
    }

    static int freeCountOf(long control) {
        return (int) control;
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

    CentralList central() {
        return central;
    }

    long control() {
        return control;
    }

    boolean compareAndSetControl(long expected, long updated) {
        return CONTROL.compareAndSet(this, expected, updated);
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
        long free;
        while ((free = ~(long) BITS.getOpaque(words, word)) == 0) {
            word = word + 1 == words.length ? 0 : word + 1;
        }
        int bit = Long.numberOfTrailingZeros(free);
        BITS.getAndBitwiseOr(words, word, 1L << bit);
        scanWord = word;
        ownerFree--;
        int slot = word << 6 | bit;
        long address = base() + slot * objectSize;
        if (slot >= freshIndex) {
            freshIndex = slot + 1;
            return needsZero() ? address | DIRTY : address;
        }
        return address | DIRTY;
    }

    /**
     * Takes over the slots freed since the owner last looked; owner only.
     *
     * @return true when the owner now has a free slot
     */
    boolean reclaimFrees() {
        long current;
        int freed;
        do {
            current = control;
            freed = freeCountOf(current);
            if (freed == 0) {
                return ownerFree > 0;
            }
        } while (!CONTROL.compareAndSet(this, current, controlWord(CACHED, 0)));
        ownerFree += freed;
        return true;
    }

    /**
     * Frees the object at {@code address}, which the caller found inside this span.
     *
     * @throws IllegalArgumentException if {@code address} is not the start of an object, or the
     *                                  object is not allocated; nothing changes then
     */
    void free(long address) {
        int index = indexOf(address);
        long bit = 1L << index;
        long before = (long) BITS.getAndBitwiseAnd(allocated, index >>> 6, ~bit);
        if ((before & bit) == 0) {
            throw new IllegalArgumentException(String.format(
                    "double free: 0x%x is not an allocated object (%d-byte class)", address, objectSize));
        }
        long counted = (long) CONTROL.getAndAdd(this, 1L);
        int state = stateOf(counted);
        int freeNow = freeCountOf(counted) + 1;
        if (state == CACHED || freeNow != objects && (state == PARTIAL || freeNow > 1)) {
            return;
        }
        central.afterFree(this);
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
        if (offset < 0 || offset >= objects * objectSize) {
            return false;
        }
        int index = (int) (offset * reciprocal >>> 32);
        return index * objectSize == offset && isSlotAllocated(index);
    }

    /** The start of the allocated object containing {@code address}, or 0. */
    long objectBase(long address) {
        long offset = address - base();
        if (offset < 0 || offset >= objects * objectSize) {
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
        int count = 0;
        for (int i = 0; i < allocated.length; i++) {
            count += Long.bitCount((long) BITS.getOpaque(allocated, i));
        }
        return count - (allocated.length * 64 - objects);
    }

    /** Bytes of the allocation bitmap. */
    long bitmapBytes() {
        return allocated.length * (long) Long.BYTES;
    }

    /** The tail bits past the last object are all still set. */
    boolean tailIntact() {
        int tailBits = allocated.length * 64 - objects;
        if (tailBits == 0) {
            return true;
        }
        long tail = -1L << (64 - tailBits);
        return ((long) BITS.getOpaque(allocated, allocated.length - 1) & tail) == tail;
    }
}
