/*
 * Contiguous growth: the heap as it was just before seed 004 (with seed 000's fix), reproduced
 * honestly, failures included, so that both layouts can be compared on the same address space.
 *
 * The heap is one region with four bounds:
 *   arenaStart  the lowest address the heap may ever use. On 64-bit the start of the first
 *               block; on 32-bit it is 0, so that blocks anywhere in the 4 GiB are acceptable.
 *   arenaUsed   one past the highest address ever handed out. Metadata exists for every arena
 *               frame in [arenaStart, arenaUsed), touched or not, each a full HeapArena paid
 *               at its footprint, as the old runtime mapped its span array and bitmap over the
 *               whole range: on 32-bit a first block placed high makes metadata for all the
 *               untouched space below it (Go #19831).
 *   arenaAlloc  the next address to hand out, in the current block [arenaAlloc, arenaEnd).
 *               Separate from arenaUsed since seed 000, so a block below the highest address
 *               in use can be accepted (Go #20259).
 *   arenaEnd    end of the current block.
 * The heap may never pass arenaStart + 512 GiB on 64-bit (the whole space on 32-bit).
 *
 * Start: on 64-bit one reservation of 512 GiB (plus a heap page) is tried at 0x00c0 << 32 |
 * i << 40 for i = 0 .. 0x7f. It fails under a reservation limit (ulimit -v) or when something
 * holds those addresses; then, as on 32-bit, blocks of 512, 256, 128 MiB and finally just a page
 * are asked for just above the program image (or above its break when the break is in the way).
 * When even that fails, the old runtime could not start at all; here every growth fails.
 *
 * Growth by n bytes (at least 1 MiB, in 64 KiB steps, retried with just n when the larger ask
 * fails): when the current block is too small, reserve a step of n rounded up to 256 MiB at
 * arenaEnd. Contiguous: the block grows. Elsewhere but within the 512 GiB and stranding less
 * than 16 MiB of the current block: it becomes the current block. Otherwise it is given back.
 * When no block can serve, 64-bit fails; 32-bit takes one mapping of exactly what is needed
 * wherever the system puts it. The region never moves past a foreign mapping at arenaEnd on
 * 64-bit, and never holds a heap over 512 GiB: those are the failures the sparse layout removed.
 *
 * Sizes given to the system are rounded up to its page, as mmap does with a length; a hint at
 * an arenaEnd that is not page aligned is rounded up like a kernel would, so with 64 KiB pages
 * the region's blocks cannot always touch — faithfully reproduced.
 */
package dev.sparseheap.arena;

import dev.sparseheap.ArenaHint;
import dev.sparseheap.ArenaRange;

import java.util.List;

/** Seed 000's growth algorithm. Not thread-safe: the owning ArenaSet serialises every call. */
final class ContiguousGrowth implements ArenaGrowth {

    /** The old runtime's heap page, the unit of its arena bounds. */
    static final long PAGE = HeapArena.PAGE_SIZE;
    static final long MAX_HEAP_64 = 512 * Bytes.GIB;
    static final long STRAND_LIMIT = 16 * Bytes.MIB;
    static final long RESERVATION_STEP = 256 * Bytes.MIB;
    static final long MIN_GROWTH = Bytes.MIB;
    static final long GROWTH_GRANULE = 64 * Bytes.KIB;
    static final long PROGRAM_MARGIN = 256 * Bytes.KIB;
    static final long[] INITIAL_RESERVATIONS = {512 * Bytes.MIB, 256 * Bytes.MIB, 128 * Bytes.MIB, 0};

    private final ReservationLedger ledger;
    private final ArenaIndex<?> index;
    private final RangeSet heapRanges;
    private final long arenaBytes;
    private final boolean wide;
    /** Highest permitted offset from arenaStart (the old _MaxMem). */
    private final long maxOffset;
    private final long granule;
    private boolean hasRegion;
    private long arenaStart;
    private long arenaUsed;
    private long arenaAlloc;
    private long arenaEnd;
    /** End of the arena frames that already have metadata. */
    private long metadataEnd;

    ContiguousGrowth(ReservationLedger ledger, ArenaIndex<?> index, RangeSet heapRanges, long arenaBytes) {
        this.ledger = ledger;
        this.index = index;
        this.heapRanges = heapRanges;
        this.arenaBytes = arenaBytes;
        this.wide = ledger.space().addressBits() > 32;
        this.maxOffset = (wide ? MAX_HEAP_64 : ledger.limit()) - 1;
        this.granule = Math.max(GROWTH_GRANULE, ledger.physicalPage());
        start();
    }

    private void start() {
        long pSize = PAGE + (wide ? MAX_HEAP_64 : 0);
        long block = wide ? reserveAtHints(pSize) : 0;
        for (int i = 0; block == 0 && i < INITIAL_RESERVATIONS.length; i++) {
            pSize = INITIAL_RESERVATIONS[i] + PAGE;
            block = ledger.reserve(initialHint(pSize), osSize(pSize));
        }
        if (block == 0) {
            return;
        }
        long first = Bytes.roundUp(block, PAGE);
        hasRegion = true;
        arenaStart = wide ? first : 0;
        arenaEnd = block + pSize;
        arenaUsed = first;
        arenaAlloc = first;
        metadataEnd = Bytes.roundDown(arenaStart, arenaBytes);
        setArenaUsed(first);
    }

    private long reserveAtHints(long pSize) {
        for (int i = 0; i < SparseGrowth.HINT_COUNT; i++) {
            long hint = SparseGrowth.HINT_BASE | (long) i << SparseGrowth.HINT_SHIFT;
            if (ledger.reserveExact(hint, osSize(pSize)) != 0) {
                return hint;
            }
        }
        return 0;
    }

    private long initialHint(long pSize) {
        long hint = Bytes.roundUp(ledger.space().programEnd() + PROGRAM_MARGIN, Bytes.MIB);
        long brk = ledger.space().programBreak();
        if (hint <= brk && brk - hint < pSize) {
            hint = Bytes.roundUp(brk + Bytes.MIB, Bytes.MIB);
        }
        return hint;
    }

    private long osSize(long size) {
        return Bytes.roundUp(size, ledger.physicalPage());
    }

    @Override
    public ArenaRange grow(long bytes) {
        if (!hasRegion) {
            return null;
        }
        long needed = Bytes.roundUp(bytes, granule);
        if (needed > ledger.limit()) {
            return null;
        }
        long ask = Math.max(needed, MIN_GROWTH);
        ArenaRange range = allocate(ask);
        if (range == null && ask > needed) {
            range = allocate(needed);
        }
        return range;
    }

    /** The old sysAlloc: n bytes from the region, growing it, or (32-bit) from anywhere. */
    private ArenaRange allocate(long n) {
        if (n > arenaEnd - arenaAlloc && !extendRegion(n)) {
            return wide ? null : allocateOutsideRegion(n);
        }
        if (n <= arenaEnd - arenaAlloc) {
            long base = arenaAlloc;
            ledger.map(base, n);
            heapRanges.add(base, n);
            arenaAlloc += n;
            if (arenaAlloc > arenaUsed) {
                setArenaUsed(arenaAlloc);
            }
            return new ArenaRange(base, n);
        }
        return wide ? null : allocateOutsideRegion(n);
    }

    /**
     * Reserves a step at arenaEnd and adopts it if it is contiguous, or close enough to be the
     * next block; gives it back otherwise.
     *
     * @return false when the system had nothing at all (no reservation made)
     */
    private boolean extendRegion(long n) {
        long step = Bytes.roundUp(n + PAGE, RESERVATION_STEP);
        long newEnd = arenaEnd + step;
        if (newEnd < arenaEnd || newEnd - arenaStart - 1 > maxOffset) {
            return true;
        }
        long block = ledger.reserve(arenaEnd, step);
        if (block == 0) {
            return false;
        }
        if (block == arenaEnd) {
            arenaEnd = newEnd;
        } else if (arenaStart <= block && block + step - arenaStart - 1 <= maxOffset
                && arenaEnd - arenaAlloc < STRAND_LIMIT) {
            arenaEnd = block + step;
            arenaAlloc = Bytes.roundUp(block, PAGE);
        } else {
            ledger.free(block, step);
        }
        return true;
    }

    /** 32-bit only: one mapping of just what is needed, wherever the system puts it. */
    private ArenaRange allocateOutsideRegion(long n) {
        long size = osSize(Bytes.roundUp(n, PAGE) + PAGE);
        long block = ledger.reserve(0, size);
        if (block == 0) {
            return null;
        }
        if (block < arenaStart || block + size - arenaStart > maxOffset) {
            ledger.free(block, size);
            return null;
        }
        try {
            ledger.map(block, size);
        } catch (OutOfMemoryError refused) {
            ledger.free(block, size);
            throw refused;
        }
        long base = Bytes.roundUp(block, PAGE);
        heapRanges.add(base, n);
        if (base + n > arenaUsed) {
            setArenaUsed(base + n);
        }
        return new ArenaRange(base, n);
    }

    /** Extends arenaUsed, creating metadata for every frame below it that has none yet. */
    private void setArenaUsed(long newUsed) {
        while (metadataEnd < newUsed) {
            index.publish(metadataEnd);
            metadataEnd += arenaBytes;
        }
        arenaUsed = newUsed;
    }

    /** The single place the region can grow contiguously: its end, as the system would round it. */
    @Override
    public List<ArenaHint> hints() {
        return hasRegion ? List.of(new ArenaHint(Bytes.roundUp(arenaEnd, ledger.physicalPage()), false)) : List.of();
    }

    /** The contiguous region's only hint is its end, which is not a list entry that can be dropped. */
    @Override
    public void keepHints(int n) {
        // Nothing to drop: the growth point follows from arenaEnd.
    }

    @Override
    public long metadataRegionBytes() {
        return 0;
    }

    @Override
    public long arenasInMetadataRegion() {
        return 0;
    }
}
