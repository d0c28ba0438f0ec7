/*
 * Metadata of one arena frame: the span map, the page-in-use bitmap and the zeroed boundary.
 *
 * Arenas are aligned to their size, so an address finds its HeapArena through the arena index
 * with shifts alone, and a page inside it is (address - base) >>> PAGE_SHIFT. The metadata lives
 * in Java objects, never in the memory it describes (invariant 1 of the design): a heap over a
 * simulated address space keeps exactly the same metadata as one over real memory.
 *
 * The span map is the structure the page layer reads without a lock (free validates an address
 * through it), so its entries are published with release stores and read with acquire loads.
 * It is split into chunks of SPAN_CHUNK_PAGES entries created on first use: an arena of 64 MiB
 * has 8192 pages, and a terabyte heap in simulation would otherwise cost a reference per page
 * before anything lives there. The page-in-use bitmap is small (one bit a page) and allocated
 * up front. Writers of both hold the heap lock, so a chunk is created by one thread at a time.
 *
 * zeroedBase: every page at or above it has never been handed out and still reads as zero from
 * the operating system; it only moves up.
 */
package dev.sparseheap.arena;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Metadata of one arena frame (arena-size aligned). Lives in Java objects, never in heap memory.
 *
 * <p>Thread safety: {@link #span} and {@link #pageInUse} may be called from any thread without a
 * lock (acquire loads that see every entry published before); the mutators {@link #setSpan},
 * {@link #setPagesInUse} and {@link #setZeroedBase} must be called with the heap lock held (a
 * single writer at a time). {@link #zeroedBase} is readable from any thread.
 */
public final class HeapArena {

    /** log2 of the heap page size. */
    public static final int PAGE_SHIFT = 13;
    /** The heap page: 8 KiB, independent of the operating system's physical page. */
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;

    private static final int SPAN_CHUNK_SHIFT = 9;
    private static final int SPAN_CHUNK_PAGES = 1 << SPAN_CHUNK_SHIFT;
    private static final VarHandle CHUNKS = MethodHandles.arrayElementVarHandle(Object[][].class);
    private static final VarHandle SPANS = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle IN_USE = MethodHandles.arrayElementVarHandle(long[].class);
    /** Fields of this object: base, size, zeroedBase (longs), pageCount (int), two references. */
    private static final long OWN_BYTES = Footprint.pad(Footprint.OBJECT_HEADER
            + 3 * Long.BYTES + Integer.BYTES + 2 * Footprint.REFERENCE);

    private final long base;
    private final long size;
    private final int pageCount;
    /** Span map in chunks; a null chunk means no page in it has a span. */
    private final Object[][] spanChunks;
    /** One bit per page, set while the page belongs to an in-use span. */
    private final long[] pagesInUse;
    private volatile long zeroedBase;

    HeapArena(long base, long size) {
        if (Long.bitCount(size) != 1 || size < PAGE_SIZE || (base & (size - 1)) != 0) {
            throw new IllegalArgumentException("arena frame must be a power-of-two size of at least "
                    + PAGE_SIZE + " bytes aligned to it: base 0x" + Long.toHexString(base) + ", size " + size);
        }
        this.base = base;
        this.size = size;
        this.pageCount = Math.toIntExact(size >>> PAGE_SHIFT);
        this.spanChunks = new Object[(pageCount + SPAN_CHUNK_PAGES - 1) >>> SPAN_CHUNK_SHIFT][];
        this.pagesInUse = new long[(pageCount + Long.SIZE - 1) / Long.SIZE];
        this.zeroedBase = base;
    }

    /** Frame start, aligned to the arena size. */
    public long base() {
        return base;
    }

    /** Arena bytes. */
    public long size() {
        return size;
    }

    /** Number of heap pages: {@code size() / PAGE_SIZE}. */
    public int pageCount() {
        return pageCount;
    }

    /** One past the last address of the frame. */
    public long end() {
        return base + size;
    }

    /**
     * The span that owns heap page {@code page} of this arena, or null if none. The entry is
     * typed {@code Object} because spans belong to the page layer above, which this layer must
     * not import; the page layer stores and casts its own type.
     *
     * @throws IllegalArgumentException if {@code page} is not in {@code [0, pageCount())}
     */
    public Object span(int page) {
        checkPage(page);
        Object[] chunk = (Object[]) CHUNKS.getAcquire(spanChunks, page >>> SPAN_CHUNK_SHIFT);
        return chunk == null ? null : SPANS.getAcquire(chunk, page & (SPAN_CHUNK_PAGES - 1));
    }

    /**
     * Records {@code span} (null to clear) as the owner of heap page {@code page}, with release
     * semantics: a thread that reads it through {@link #span} sees the span fully built.
     * Caller holds the heap lock.
     *
     * @throws IllegalArgumentException if {@code page} is not in {@code [0, pageCount())}
     */
    public void setSpan(int page, Object span) {
        checkPage(page);
        int chunkIndex = page >>> SPAN_CHUNK_SHIFT;
        Object[] chunk = (Object[]) CHUNKS.getAcquire(spanChunks, chunkIndex);
        if (chunk == null) {
            if (span == null) {
                return;
            }
            chunk = new Object[Math.min(SPAN_CHUNK_PAGES, pageCount)];
            CHUNKS.setRelease(spanChunks, chunkIndex, chunk);
        }
        SPANS.setRelease(chunk, page & (SPAN_CHUNK_PAGES - 1), span);
    }

    /**
     * Whether heap page {@code page} belongs to an in-use span.
     *
     * @throws IllegalArgumentException if {@code page} is not in {@code [0, pageCount())}
     */
    public boolean pageInUse(int page) {
        checkPage(page);
        long word = (long) IN_USE.getAcquire(pagesInUse, page >>> 6);
        return (word & (1L << page)) != 0;
    }

    /**
     * Marks {@code count} pages from {@code firstPage} in use or not. Caller holds the heap lock.
     *
     * @throws IllegalArgumentException if the pages are not all in {@code [0, pageCount())}
     */
    public void setPagesInUse(int firstPage, int count, boolean inUse) {
        if (firstPage < 0 || count < 0 || count > pageCount - firstPage) {
            throw new IllegalArgumentException("pages [" + firstPage + ", " + ((long) firstPage + count)
                    + ") not in arena of " + pageCount + " pages at 0x" + Long.toHexString(base));
        }
        int page = firstPage;
        int end = firstPage + count;
        while (page < end) {
            int wordIndex = page >>> 6;
            int bitsInWord = Math.min(Long.SIZE - (page & 63), end - page);
            long mask = (bitsInWord == Long.SIZE ? -1L : ((1L << bitsInWord) - 1)) << page;
            long word = (long) IN_USE.getAcquire(pagesInUse, wordIndex);
            IN_USE.setRelease(pagesInUse, wordIndex, inUse ? word | mask : word & ~mask);
            page += bitsInWord;
        }
    }

    /**
     * Absolute address: the pages in {@code [zeroedBase(), base() + size())} were never handed
     * out and still read as zero from the operating system.
     */
    public long zeroedBase() {
        return zeroedBase;
    }

    /**
     * Moves the zeroed boundary up to {@code address} (pages below it have been handed out); an
     * address below the current boundary leaves it where it is, since the boundary only moves up.
     * Caller holds the heap lock.
     *
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

    /**
     * An honest estimate of this object's footprint on the Java heap: the object, its span-map
     * chunk table, the span-map chunks created so far, and the page bitmap.
     */
    public long metadataBytes() {
        long bytes = OWN_BYTES + Footprint.referenceArray(spanChunks.length) + Footprint.longArray(pagesInUse.length);
        for (int i = 0; i < spanChunks.length; i++) {
            if (CHUNKS.getAcquire(spanChunks, i) != null) {
                bytes += Footprint.referenceArray(Math.min(SPAN_CHUNK_PAGES, pageCount));
            }
        }
        return bytes;
    }

    /** The footprint of a HeapArena of {@code arenaBytes} once every span-map chunk exists. */
    static long fullFootprint(long arenaBytes) {
        long pages = arenaBytes >>> PAGE_SHIFT;
        long chunks = (pages + SPAN_CHUNK_PAGES - 1) >>> SPAN_CHUNK_SHIFT;
        return OWN_BYTES + Footprint.referenceArray(chunks)
                + chunks * Footprint.referenceArray(Math.min(SPAN_CHUNK_PAGES, pages))
                + Footprint.longArray((pages + Long.SIZE - 1) / Long.SIZE);
    }

    private void checkPage(int page) {
        if (page < 0 || page >= pageCount) {
            throw new IllegalArgumentException("page " + page + " not in arena of " + pageCount
                    + " pages at 0x" + Long.toHexString(base));
        }
    }

    @Override
    public String toString() {
        return "HeapArena[0x" + Long.toHexString(base) + ", 0x" + Long.toHexString(end()) + ")";
    }
}
