/*
 * What the page heap knows about the contents and backing of its free pages.
 *
 * A free heap page is in one of three states:
 *   fresh    - never touched since the OS mapped it: reads as zero, holds no physical memory;
 *   dirty    - used by a span since it was mapped or released: may hold data and physical memory;
 *   released - handed back to the OS by the scavenger: reads as zero, holds no physical memory.
 * Two page sets record the dirty and the released pages; every other free page is fresh. A
 * span handed out over fresh and released pages only needs no zeroing. Pages in live spans are
 * in neither set: their state is their owner's business until they are freed, when they become
 * dirty whether or not they were written.
 *
 * Release granularity: the OS releases whole physical pages, which may be larger than a heap
 * page (64 KiB on some systems against 8 KiB heap pages). The release unit is the larger of the
 * two. The scavenger releases only release units that lie wholly inside one free run and hold
 * at least one dirty page; the whole unit becomes released. When a span is later carved out of
 * released pages, each released unit it touches is mapped again (so the address space's
 * released-bytes figure stays exact) and its pages outside the span become fresh: the unit
 * was zero and nobody has written to them.
 *
 * Invariants (checked by verify): dirty and released pages are free; no page is both; the
 * released set is a union of whole, aligned release units.
 *
 * The scavenger walks dirty pages from the top of the address space down, because first fit
 * fills the heap from the bottom: the high pages are the ones least likely to be reused soon.
 */
package dev.sparseheap.page;

import dev.sparseheap.arena.HeapArena;
import dev.sparseheap.os.AddressSpace;

/**
 * Dirty / released / fresh state of the free pages, and the release walk over them.
 *
 * <p>Thread safety: none; the page heap uses it under its lock.
 */
final class FreePageStates {

    private final AddressSpace space;
    private static final System.Logger LOG = System.getLogger("dev.sparseheap");

    private final long releaseUnit;
    private final PageSet dirty = new PageSet();
    private final PageSet released = new PageSet();

    FreePageStates(AddressSpace space) {
        this.space = space;
        this.releaseUnit = Math.max(space.physicalPageSize(), HeapArena.PAGE_SIZE);
    }

    /** Bytes of the smallest range the scavenger can release: max(physical page, heap page). */
    long releaseUnit() {
        return releaseUnit;
    }

    /** Free bytes that may hold physical memory. */
    long dirtyBytes() {
        return dirty.bytes();
    }

    /** Free bytes handed back to the OS. */
    long releasedBytes() {
        return released.bytes();
    }

    /** True when some page of [base, end) may hold non-zero bytes. */
    boolean needsZero(long base, long end) {
        return dirty.intersects(base, end);
    }

    /** Records that [base, end), now free, may hold data and physical memory. */
    void markDirty(long base, long end) {
        dirty.add(base, end);
    }

    /**
     * Hands [base, end) over to a span: maps again every released unit the range touches
     * (their pages outside the range become fresh) and forgets the range's dirty pages.
     *
     * @throws OutOfMemoryError when the OS refuses to map a released unit again; units mapped
     *                          before the refusal are fresh, the others still released
     */
    void claim(long base, long end) {
        long low = base & -releaseUnit;
        long high = (end + releaseUnit - 1) & -releaseUnit;
        long start = released.nextIn(low, high);
        while (start >= 0) {
            long stop = released.nextNotIn(start, high);
            space.map(start, stop - start);
            released.remove(start, stop);
            start = released.nextIn(stop, high);
        }
        dirty.remove(base, end);
    }

    /**
     * Releases dirty free units from {@code below} downwards until {@code goal} bytes are
     * released or {@code unitBudget} candidate units are examined.
     *
     * @param freeRuns the free runs: a unit is released only when it lies inside one of them
     * @return the bytes released and the address below which the next walk should continue
     *         (0 when it reached the bottom)
     */
    Walk release(long below, long goal, long unitBudget, FreeRunTree freeRuns) {
        long releasedBytes = 0;
        long pendingBase = 0;
        long pendingEnd = 0;
        long limit = below;
        for (long examined = 0; releasedBytes + (pendingEnd - pendingBase) < goal && examined < unitBudget; examined++) {
            long page = dirty.previousBelow(limit);
            if (page < 0) {
                limit = 0;
                break;
            }
            long unit = page & -releaseUnit;
            limit = unit;
            if (!freeRuns.covers(unit, unit + releaseUnit)) {
                continue;
            }
            if (unit + releaseUnit != pendingBase) {
                if (!flush(pendingBase, pendingEnd)) {
                    return new Walk(releasedBytes, pendingEnd);
                }
                releasedBytes += pendingEnd - pendingBase;
                pendingEnd = unit + releaseUnit;
            }
            pendingBase = unit;
        }
        if (!flush(pendingBase, pendingEnd)) {
            return new Walk(releasedBytes, pendingEnd);
        }
        return new Walk(releasedBytes + (pendingEnd - pendingBase), limit);
    }

    /** The outcome of one release walk. */
    record Walk(long releasedBytes, long resumeBelow) {
    }

    /**
     * Releases [base, end) and records it, or, when the OS refuses, leaves the pages dirty and
     * says so: a refused release is memory not given back, never an error of the caller that
     * asked (an allocation under the memory limit, the background scavenger).
     *
     * @return false when the OS refused
     */
    private boolean flush(long base, long end) {
        if (base < end) {
            try {
                space.release(base, end - base);
            } catch (IllegalStateException | OutOfMemoryError refused) {
                LOG.log(System.Logger.Level.WARNING, "the OS refused to release [0x%x, 0x%x); the pages stay dirty"
                        .formatted(base, end), refused);
                return false;
            }
            dirty.remove(base, end);
            released.add(base, end);
        }
        return true;
    }

    /** Checks the invariants in the file comment against the free runs. */
    void verify(FreeRunTree freeRuns) {
        forEachRange(dirty, (base, end) -> {
            if (!freeRuns.covers(base, end)) {
                throw new IllegalStateException("dirty pages [0x%x, 0x%x) are not free".formatted(base, end));
            }
            if (released.intersects(base, end)) {
                throw new IllegalStateException("pages in [0x%x, 0x%x) are both dirty and released".formatted(base, end));
            }
        });
        forEachRange(released, (base, end) -> {
            if (!freeRuns.covers(base, end)) {
                throw new IllegalStateException("released pages [0x%x, 0x%x) are not free".formatted(base, end));
            }
            if ((base & (releaseUnit - 1)) != 0 || (end & (releaseUnit - 1)) != 0) {
                throw new IllegalStateException("released pages [0x%x, 0x%x) are not whole units of %d bytes"
                        .formatted(base, end, releaseUnit));
            }
        });
    }

    private static void forEachRange(PageSet pages, FreeRunTree.RunVisitor visitor) {
        for (long start = pages.nextIn(0, Long.MAX_VALUE); start >= 0; ) {
            long stop = pages.nextNotIn(start, Long.MAX_VALUE);
            visitor.visit(start, stop);
            start = pages.nextIn(stop, Long.MAX_VALUE);
        }
    }
}
