/*
 * Sparse growth (seed 004): the heap is any set of arena-aligned, arena-sized frames.
 *
 * Growth by n bytes (rounded up to whole arenas) tries, in order:
 *   1. the initial pre-reservation (32-bit only): arenas come out of one block staked out at
 *      start, so the first part of the heap is contiguous and low;
 *   2. the hints, first to last. A hint growing up asks for [hint, hint + n) and moves to its
 *      end on success; a hint growing down asks for [hint - n, hint) and moves to its start.
 *      Each attempt is an exact reservation (never "somewhere else", so a foreign mapping at a
 *      hint can never make the heap land elsewhere by surprise), checked for overflow and the
 *      address limit before the system is asked. A hint that fails is discarded for good;
 *   3. an aligned reservation anywhere. The heap then gets two new hints: one growing up from
 *      the new block's end (tried first) and one growing down from its start.
 * The result is mapped, and a HeapArena is published in the index for every frame in it.
 *
 * Initial hints on 64-bit: 0x00c0 << 32 | i << 40 for i = 0 .. 0x7f, growing up. They start in
 * the middle of the space, leaving room to grow contiguously, and make heap addresses easy to
 * recognise (bytes c0 00, c1 00, ... are not valid UTF-8 and far from ff).
 *
 * 32-bit: space for the metadata of every possible arena is reserved first, as a linear
 * region mapped as arenas are added, so metadata never interleaves with the heap and costs
 * memory in proportion to the arenas in use: each arena takes its factory's footprint of it,
 * so the region's mapped part is exactly the footprints of the arenas placed there, rounded up
 * to the physical page, and that mapped part is what the heap counts for them. The heap is then hinted 256 KiB above the end of
 * the program or its break, whichever is higher (and above the metadata region if that landed
 * there), rounded up to the arena size: the margin is also what an emulator that never moves a
 * hint upwards (QEMU) needs. An initial block of 512, else 256, else 128 MiB is reserved there,
 * and a single hint is placed at its end.
 *
 * Failure is always "null": the caller turns it into an OutOfMemoryError. A reservation that
 * the system returns misaligned or beyond the limit is an IllegalStateException (the ledger
 * checks every answer); arena alignment is then established here, by exact hints and by
 * AlignedReservation, never assumed from the system.
 */
package dev.sparseheap.arena;

import dev.sparseheap.ArenaHint;
import dev.sparseheap.ArenaRange;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** Seed 004's growth algorithm. Not thread-safe: the owning ArenaSet serialises every call. */
final class SparseGrowth implements ArenaGrowth {

    static final long HINT_BASE = 0x00c0L << 32;
    static final int HINT_COUNT = 0x80;
    static final int HINT_SHIFT = 40;
    /** Distance kept from the program image and brk on 32-bit. */
    static final long PROGRAM_MARGIN = 256 * Bytes.KIB;
    static final long[] INITIAL_RESERVATIONS = {512 * Bytes.MIB, 256 * Bytes.MIB, 128 * Bytes.MIB};

    /** A live hint: its address moves as the heap grows from it. */
    private static final class Hint {
        long address;
        final boolean down;

        Hint(long address, boolean down) {
            this.address = address;
            this.down = down;
        }
    }

    private final ReservationLedger ledger;
    private final ArenaIndex<?> index;
    private final RangeSet heapRanges;
    private final long arenaBytes;
    private final ArrayDeque<Hint> hints = new ArrayDeque<>();
    /** 32-bit: pre-reserved space for arena metadata; null on 64-bit or when it could not be reserved. */
    private final LinearRegion metadataRegion;
    /** 32-bit: the initial heap block; null on 64-bit or when none could be reserved. */
    private final LinearRegion initialRegion;
    /** Arenas whose metadata has its place in metadataRegion. */
    private long arenasInMetadataRegion;

    SparseGrowth(ReservationLedger ledger, ArenaIndex<?> index, RangeSet heapRanges, long arenaBytes) {
        this.ledger = ledger;
        this.index = index;
        this.heapRanges = heapRanges;
        this.arenaBytes = arenaBytes;
        if (ledger.space().addressBits() > 32) {
            for (int i = 0; i < HINT_COUNT; i++) {
                hints.addLast(new Hint(HINT_BASE | (long) i << HINT_SHIFT, false));
            }
            this.metadataRegion = null;
            this.initialRegion = null;
        } else {
            this.metadataRegion = reserveMetadataRegion();
            long start = heapStartHint();
            this.initialRegion = reserveInitialRegion(start);
            hints.addLast(new Hint(initialRegion == null ? start : initialRegion.end(), false));
        }
    }

    private LinearRegion reserveMetadataRegion() {
        long frames = ledger.limit() / arenaBytes;
        long size = Bytes.roundUp(frames * index.arenaFootprint(), ledger.physicalPage());
        long base = ledger.reserve(0, size);
        return base == 0 ? null : new LinearRegion(ledger, base, size);
    }

    private long heapStartHint() {
        long start = Math.max(ledger.space().programEnd(), ledger.space().programBreak());
        if (metadataRegion != null && metadataRegion.isFree(start)) {
            start = metadataRegion.end();
        }
        return Bytes.roundUp(start + PROGRAM_MARGIN, arenaBytes);
    }

    private LinearRegion reserveInitialRegion(long start) {
        for (long size : INITIAL_RESERVATIONS) {
            ArenaRange block = AlignedReservation.reserve(ledger, start, size, arenaBytes);
            if (block != null) {
                return new LinearRegion(ledger, block.base(), block.size());
            }
        }
        return null;
    }

    @Override
    public ArenaRange grow(long bytes) {
        long n = Bytes.roundUp(bytes, arenaBytes);
        if (n > ledger.limit()) {
            return null;
        }
        ArenaRange range = takeFromInitialRegion(n);
        if (range == null) {
            range = reserveAtHint(n);
        }
        if (range == null) {
            range = reserveAnywhere(n);
        }
        if (range != null) {
            publishArenas(range);
            heapRanges.add(range.base(), range.size());
        }
        return range;
    }

    private ArenaRange takeFromInitialRegion(long n) {
        if (initialRegion == null) {
            return null;
        }
        long base = initialRegion.allocate(n, arenaBytes);
        return base == 0 ? null : new ArenaRange(base, n);
    }

    private ArenaRange reserveAtHint(long n) {
        while (!hints.isEmpty()) {
            Hint hint = hints.peekFirst();
            long start = hint.down ? hint.address - n : hint.address;
            if (ledger.fits(start, n) && ledger.reserveExact(start, n) == start) {
                mapOrFree(start, n);
                hint.address = hint.down ? start : start + n;
                return new ArenaRange(start, n);
            }
            hints.removeFirst();
        }
        return null;
    }

    private ArenaRange reserveAnywhere(long n) {
        ArenaRange block = AlignedReservation.reserve(ledger, 0, n, arenaBytes);
        if (block == null) {
            return null;
        }
        mapOrFree(block.base(), block.size());
        hints.addFirst(new Hint(block.base(), true));
        hints.addFirst(new Hint(block.end(), false));
        return block;
    }

    /** Maps a fresh reservation; if the system refuses, gives the reservation back first. */
    private void mapOrFree(long base, long size) {
        try {
            ledger.map(base, size);
        } catch (OutOfMemoryError refused) {
            ledger.free(base, size);
            throw refused;
        }
    }

    private void publishArenas(ArenaRange range) {
        for (long frame = range.base(); frame < range.end(); frame += arenaBytes) {
            chargeMetadataRegion();
            index.publish(frame);
        }
    }

    /**
     * Takes one arena's metadata from the 32-bit pre-reservation. When the region is missing,
     * full, or the system refuses to back more of it, the metadata simply has no place in the
     * address space reserved for it (the seed falls back to its general persistent allocator):
     * the Java objects exist either way and the arena is accounted at its footprint alone.
     */
    private void chargeMetadataRegion() {
        if (metadataRegion == null) {
            return;
        }
        try {
            if (metadataRegion.allocate(index.arenaFootprint(), Long.BYTES) != 0) {
                arenasInMetadataRegion++;
            }
        } catch (OutOfMemoryError refused) {
            // The region's reservation stays; only this arena's metadata lives on the Java heap alone.
        }
    }

    @Override
    public List<ArenaHint> hints() {
        List<ArenaHint> snapshot = new ArrayList<>(hints.size());
        for (Hint hint : hints) {
            snapshot.add(new ArenaHint(hint.address, hint.down));
        }
        return List.copyOf(snapshot);
    }

    @Override
    public void keepHints(int n) {
        while (hints.size() > n) {
            hints.removeLast();
        }
    }

    @Override
    public long metadataRegionBytes() {
        return metadataRegion == null ? 0 : metadataRegion.mappedBytes();
    }

    @Override
    public long arenasInMetadataRegion() {
        return arenasInMetadataRegion;
    }
}
