/*
 * Metadata of one arena frame as the arena layer knows it: its bounds and the zeroed boundary.
 *
 * Arenas are aligned to their size, so an address finds its HeapArena through the arena index
 * with shifts alone, and a page inside it is (address - base) >>> PAGE_SHIFT. The metadata lives
 * in Java objects, never in the memory it describes (invariant 1 of the design): a heap over a
 * simulated address space keeps exactly the same metadata as one over real memory.
 *
 * What else an arena holds belongs to the layer above: the page layer subclasses HeapArena with
 * its span map (PageArena) and gives ArenaSet a factory for it (ArenaFactory), so the index
 * stores the page layer's own type and this layer imports nothing from above. Like the seeds'
 * heapArena struct, a subclass creates all of its metadata when the arena is created, whether or
 * not anything lives there yet; that makes the factory's footprint what an arena's metadata
 * costs the moment it exists, the unit of the arena layer's metadata accounting, identical for
 * both layouts: a layout that creates metadata for frames it never uses (the contiguous one,
 * Go #19831) pays for them in full, as the old runtime did when it mapped its span array over
 * the whole arena range.
 *
 * zeroedBase: every page at or above it has never been handed out and still reads as zero from
 * the operating system; it only moves up.
 */
package dev.sparseheap.arena;

/**
 * Metadata of one arena frame (arena-size aligned). Lives in Java objects, never in heap memory.
 * The layer above extends it with its own per-page metadata (see {@link ArenaFactory}).
 *
 * <p>Thread safety: the bounds are final; {@link #zeroedBase} is readable from any thread, and
 * {@link #setZeroedBase} must be called with the heap lock held (a single writer at a time).
 */
public class HeapArena {

    /** log2 of the heap page size. */
    public static final int PAGE_SHIFT = 13;
    /** The heap page: 8 KiB, independent of the operating system's physical page. */
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;

    /** Fields of this class: base, size, zeroedBase (longs), pageCount (int). */
    private static final long OWN_FIELD_BYTES = 3 * Long.BYTES + Integer.BYTES;

    private final long base;
    private final long size;
    private final int pageCount;
    private volatile long zeroedBase;

    /**
     * An arena for the frame {@code [base, base + size)} with its zeroed boundary at its base.
     *
     * @param base frame start, aligned to {@code size}
     * @param size arena bytes, a power of two of at least {@link #PAGE_SIZE}
     * @throws IllegalArgumentException when the frame is not a power-of-two size of at least a
     *                                  page aligned to it
     */
    protected HeapArena(long base, long size) {
        if (Long.bitCount(size) != 1 || size < PAGE_SIZE || (base & (size - 1)) != 0) {
            throw new IllegalArgumentException("arena frame must be a power-of-two size of at least "
                    + PAGE_SIZE + " bytes aligned to it: base 0x" + Long.toHexString(base) + ", size " + size);
        }
        this.base = base;
        this.size = size;
        this.pageCount = Math.toIntExact(size >>> PAGE_SHIFT);
        this.zeroedBase = base;
    }

    /**
     * Java-heap bytes of an arena object whose class adds {@code subclassFieldBytes} of fields to
     * this class's own (HotSpot layout estimates, see Footprint).
     *
     * @param subclassFieldBytes bytes of the fields a subclass declares
     * @return the padded object size
     */
    public static long objectBytes(long subclassFieldBytes) {
        return Footprint.pad(Footprint.OBJECT_HEADER + OWN_FIELD_BYTES + subclassFieldBytes);
    }

    /**
     * Frame start, aligned to the arena size.
     *
     * @return the base address
     */
    public long base() {
        return base;
    }

    /**
     * Arena bytes.
     *
     * @return the frame size
     */
    public long size() {
        return size;
    }

    /**
     * Number of heap pages.
     *
     * @return {@code size() / PAGE_SIZE}
     */
    public int pageCount() {
        return pageCount;
    }

    /**
     * One past the last address of the frame.
     *
     * @return {@code base() + size()}
     */
    public long end() {
        return base + size;
    }

    /**
     * Absolute address: the pages in {@code [zeroedBase(), base() + size())} were never handed
     * out and still read as zero from the operating system.
     *
     * @return the zeroed boundary
     */
    public long zeroedBase() {
        return zeroedBase;
    }

    /**
     * Moves the zeroed boundary up to {@code address} (pages below it have been handed out); an
     * address below the current boundary leaves it where it is, since the boundary only moves up.
     * Caller holds the heap lock.
     *
     * @param address the new boundary
     * @throws IllegalArgumentException if {@code address} is outside {@code [base(), base() + size()]}
     */
    public void setZeroedBase(long address) {
        if (address < base || address - base > size) {
            throw new IllegalArgumentException("zeroed base 0x" + Long.toHexString(address)
                    + " outside arena [0x" + Long.toHexString(base) + ", 0x" + Long.toHexString(end()) + ")");
        }
        if (address > zeroedBase) {
            zeroedBase = address;
        }
    }

    @Override
    public String toString() {
        return "HeapArena[0x" + Long.toHexString(base) + ", 0x" + Long.toHexString(end()) + ")";
    }
}
