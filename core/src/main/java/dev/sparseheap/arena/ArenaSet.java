/*
 * A heap's arenas: the arena index, the growth algorithm of its layout, and the accounting of
 * the address space it holds.
 *
 * Layers above see two operations. grow(bytes) adds mapped, page-aligned address space to the
 * heap and publishes an arena (the factory's HeapArena subclass) for every arena frame it
 * touches; arenaOf(address) finds the
 * metadata of any address in O(1) without a lock. Everything else is inspection (accounting,
 * listings) and the test hooks of seed 004 (hints, keepHints, nextHint).
 *
 * Invariants:
 *   - every heap range returned by grow is mapped and covered by published arenas;
 *   - arenas are aligned to their size; index entries are never cleared while the set is open;
 *   - reservedBytes() is exactly what the heap holds in the address space (arenas, blocks not
 *     yet used, pre-reservations); mappedBytes() exactly what grow made ready;
 *   - nothing the address space returns is used unchecked (alignment, limit, overlap).
 *
 * Sparse layout (seed 004): see SparseGrowth. Contiguous layout (seed 000): see
 * ContiguousGrowth; there arenas (metadata) exist for every frame from the region's start up
 * to its highest used address, including frames the heap never mapped, because that is how the
 * old heap defined its range — arenaOf answers for them too.
 *
 * Metadata accounting, one model for both layouts. Every frame that has metadata has an arena
 * of fixed size (the page layer's span map, an entry per heap page, and the object itself:
 * ArenaFactory.footprint), as the seeds' heapArena is a fixed-size struct; the index adds its L1
 * array and the L2 blocks created so far. So
 *     metadataBytes = index tables + arenas x footprint
 * where the arenas are those in use for the sparse layout (metadata grows with the heap, not
 * with the span of its addresses) and every frame of [arenaStart, arenaUsed) for the contiguous
 * one (metadata grows with the range, used or not). On 32-bit the sparse layout carves each
 * arena's metadata from its metadata pre-reservation; there the region's mapped part stands for
 * those arenas' footprints, which it equals but for the rounding up to the physical page, and is
 * what is counted (an arena that found no room there is counted at its footprint).
 *
 * Growth is reported as a dev.sparseheap.ArenaGrowth JFR event when a recording wants it; only
 * then are the hints and reservations compared before and after, to tell a hint that held from a
 * fallback reservation.
 *
 * Closing frees every reservation exactly as it was made. Afterwards grow and the hint hooks
 * throw IllegalStateException, accounting reads zero, and arenaOf (kept free of any check, since
 * it is on every free's path) still answers from the metadata as it was: callers above must not
 * use addresses of a closed heap.
 */
package dev.sparseheap.arena;

import dev.sparseheap.ArenaHint;
import dev.sparseheap.ArenaLayout;
import dev.sparseheap.ArenaRange;
import dev.sparseheap.HeapLayout;
import dev.sparseheap.jfr.ArenaGrowthEvent;
import dev.sparseheap.jfr.FlightRecording;
import dev.sparseheap.os.AddressSpace;
import dev.sparseheap.os.RangeOwner;

import java.util.List;
import java.util.Objects;

/**
 * A heap's arenas: index, hints, growth (sparse or contiguous), accounting.
 *
 * <p>The arenas are of the type the layer above asks for through its {@link ArenaFactory}, so
 * {@link #arenaOf} hands that layer its own per-arena metadata.
 *
 * <p>Thread safety: safe for use by multiple threads. {@link #arenaOf} is lock-free (two array
 * loads); every other method synchronises on this set, which is cheap because they are off the
 * allocation fast path (the page layer calls {@link #grow} under its own heap lock anyway).
 */
public final class ArenaSet<A extends HeapArena> implements AutoCloseable {

    /** Default arena size on address spaces wider than 32 bits. */
    public static final long DEFAULT_ARENA_BYTES_64 = 64 * Bytes.MIB;
    /** Default arena size on 32-bit address spaces. */
    public static final long DEFAULT_ARENA_BYTES_32 = 4 * Bytes.MIB;
    /** Smallest arena size accepted. */
    public static final long MIN_ARENA_BYTES = 64 * Bytes.KIB;
    /**
     * Largest arena size accepted: an arena's metadata is created whole (a span-map reference
     * per heap page), so a larger frame would cost tens of megabytes of Java heap per arena.
     */
    public static final long MAX_ARENA_BYTES = 64 * Bytes.GIB;

    private final AddressSpace space;
    private final ArenaLayout layout;
    private final long arenaBytes;
    private final ReservationLedger ledger;
    private final ArenaIndex<A> index;
    private final RangeSet heapRanges = new RangeSet();
    private final ArenaGrowth growth;
    private boolean closed;

    private ArenaSet(AddressSpace space, ArenaLayout layout, long arenaBytes, ArenaFactory<A> factory) {
        this.space = space;
        this.layout = layout;
        this.arenaBytes = arenaBytes;
        this.ledger = new ReservationLedger(space);
        this.index = new ArenaIndex<>(space.addressBits(), arenaBytes, factory);
        this.growth = switch (layout) {
            case SPARSE -> new SparseGrowth(ledger, index, heapRanges, arenaBytes);
            case CONTIGUOUS -> new ContiguousGrowth(ledger, index, heapRanges, arenaBytes);
        };
    }

    /**
     * An empty heap over {@code space} with the default arena size: 64 MiB on a space wider than
     * 32 bits, 4 MiB on 32-bit. Initial reservations of the layout are made now.
     *
     * @param <A>     the arenas' type
     * @param space   the address space to reserve in
     * @param layout  how arenas are placed
     * @param factory creates each arena's metadata
     * @return the new set
     */
    public static <A extends HeapArena> ArenaSet<A> create(AddressSpace space, ArenaLayout layout,
                                                          ArenaFactory<A> factory) {
        Objects.requireNonNull(space, "space");
        return create(space, layout, space.addressBits() > 32 ? DEFAULT_ARENA_BYTES_64 : DEFAULT_ARENA_BYTES_32,
                factory);
    }

    /**
     * An empty heap over {@code space} with arenas of {@code arenaBytes}.
     *
     * @param <A>        the arenas' type
     * @param space      the address space to reserve in
     * @param layout     how arenas are placed
     * @param arenaBytes size and alignment of every arena
     * @param factory    creates each arena's metadata
     * @return the new set
     * @throws IllegalArgumentException unless {@code arenaBytes} is a power of two, at least
     *                                  64 KiB, at least the physical page, at most 64 GiB and at
     *                                  most half the address space
     */
    public static <A extends HeapArena> ArenaSet<A> create(AddressSpace space, ArenaLayout layout, long arenaBytes,
                                                          ArenaFactory<A> factory) {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(factory, "factory");
        if (Long.bitCount(arenaBytes) != 1 || arenaBytes < MIN_ARENA_BYTES || arenaBytes > MAX_ARENA_BYTES
                || arenaBytes < space.physicalPageSize() || arenaBytes > space.addressLimit() / 2) {
            throw new IllegalArgumentException("arena size " + arenaBytes + " must be a power of two of at least "
                    + MIN_ARENA_BYTES + " bytes, at least the physical page (" + space.physicalPageSize()
                    + "), at most " + MAX_ARENA_BYTES + " bytes and at most half the address space");
        }
        return new ArenaSet<>(space, layout, arenaBytes, factory);
    }

    /** The address space the heap lives in. */
    public AddressSpace addressSpace() {
        return space;
    }

    /** The layout the heap grows with. */
    public ArenaLayout layout() {
        return layout;
    }

    /** Bytes of one arena (frame size and alignment). */
    public long arenaBytes() {
        return arenaBytes;
    }

    /**
     * Grows the heap by at least {@code bytes}. Returns a READY (mapped) range whose base and size
     * are multiples of {@link HeapArena#PAGE_SIZE} (sparse: arena-aligned, a multiple of the arena
     * size), with a {@link HeapArena} published in the index for every arena frame it overlaps;
     * null when the address space cannot supply it (the caller throws OutOfMemoryError).
     *
     * @throws IllegalArgumentException if {@code bytes} is not positive
     * @throws IllegalStateException    if the set is closed, or the address space returned an
     *                                  unusable reservation (misaligned, beyond its limit)
     * @throws OutOfMemoryError         if the system refused to back a reservation (nothing changed)
     */
    public synchronized ArenaRange grow(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("growth must be positive: " + bytes);
        }
        ensureOpen();
        return FlightRecording.started() ? growRecorded(bytes) : growth.grow(bytes);
    }

    /** Grows as {@link #grow} does and reports it when a recording wants it, telling a hint that held from a fallback. */
    private ArenaRange growRecorded(long bytes) {
        ArenaGrowthEvent event = new ArenaGrowthEvent();
        if (!event.isEnabled()) {
            return growth.grow(bytes);
        }
        List<ArenaHint> hintsBefore = growth.hints();
        int reservationsBefore = ledger.reservations().size();
        ArenaRange range = growth.grow(bytes);
        if (range != null && event.shouldCommit()) {
            event.address = range.base();
            event.size = range.size();
            event.layout = layout.name();
            event.hintHeld = hintsBefore.stream().anyMatch(hint -> hint.address() == (hint.down() ? range.end() : range.base()));
            event.fallback = !event.hintHeld && ledger.reservations().size() > reservationsBefore;
            event.commit();
        }
        return range;
    }

    /** The arena holding {@code address}, or null for addresses the heap does not own. Lock-free. */
    public A arenaOf(long address) {
        return index.lookup(address);
    }

    /** Address space reserved by the heap: arenas, blocks not yet used, pre-reservations. */
    public synchronized long reservedBytes() {
        return ledger.reservedBytes();
    }

    /**
     * Bytes made ready by {@link #grow} (metadata regions not included): the heap ranges, plus
     * the slack of the contiguous layout's 32-bit fallback, which maps a heap page more than it
     * hands out.
     */
    public synchronized long mappedBytes() {
        return closed ? 0 : ledger.mappedBytes() - growth.metadataRegionBytes();
    }

    /**
     * Metadata bytes the heap has committed: the index (L1 array and L2 blocks) and the fixed
     * footprint of every arena with metadata ({@link ArenaFactory#footprint}); for arenas
     * whose metadata lives in the 32-bit sparse layout's metadata pre-reservation, the part of it
     * made ready instead (their footprints rounded up to the physical page). Every arena of
     * either layout is counted the same way: sparse, the arenas in use; contiguous, every frame
     * from the region's start to its highest used address.
     */
    public synchronized long metadataBytes() {
        if (closed) {
            return 0;
        }
        long arenasElsewhere = index.size() - growth.arenasInMetadataRegion();
        return index.tableBytes() + growth.metadataRegionBytes() + arenasElsewhere * index.arenaFootprint();
    }

    /**
     * Bytes of address space made ready to hold metadata: the used part of the 32-bit sparse
     * layout's metadata pre-reservation, 0 elsewhere. With {@link #mappedBytes()} it is
     * everything this set made ready in its address space.
     */
    public synchronized long metadataRegionBytes() {
        return closed ? 0 : growth.metadataRegionBytes();
    }

    /** Number of arenas (HeapArena objects) in the index. */
    public synchronized int arenaCount() {
        return closed ? 0 : index.size();
    }

    /** The heap's ranges (everything grow handed out), coalesced and sorted. */
    public synchronized List<ArenaRange> heapRanges() {
        return closed ? List.of() : heapRanges.ranges();
    }

    /** Every reservation the heap holds, exactly as made, sorted by base. */
    public synchronized List<ArenaRange> reservations() {
        return List.copyOf(ledger.reservations());
    }

    /** The arenas, sorted by base. */
    public synchronized List<A> arenas() {
        return closed ? List.of() : index.sorted();
    }

    /** The current hints in the order they will be tried (test hook, like the seed's). */
    public synchronized List<ArenaHint> hints() {
        ensureOpen();
        return growth.hints();
    }

    /**
     * Drops all hints but the first {@code n} (test hook). The contiguous layout has a single
     * implicit hint, its region's end, which this leaves in place.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public synchronized void keepHints(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("hint count must not be negative: " + n);
        }
        ensureOpen();
        growth.keepHints(n);
    }

    /** The hint the next growth tries first, or null when there is none (test hook). */
    public synchronized ArenaHint nextHint() {
        ensureOpen();
        List<ArenaHint> hints = growth.hints();
        return hints.isEmpty() ? null : hints.getFirst();
    }

    /**
     * Checks the set's invariants: arenas aligned and found by the index, every mapped heap range
     * covered by arenas and inside the heap's reservations, metadata only where the layout puts
     * it, mapped bytes and the metadata region accounted exactly.
     *
     * @throws IllegalStateException naming the first broken invariant, or if the set is closed
     */
    public synchronized void verify() {
        ensureOpen();
        ArenaInvariants.check(layout, arenaBytes, index, heapRanges, ledger, growth.metadataRegionBytes(),
                growth.arenasInMetadataRegion());
    }

    /**
     * Checks {@link #verify()} and the set against its address space's own list of mappings:
     * no heap range overlaps a foreign mapping, every heap range is held by the heap there and
     * accessible, and the space's reserved and mapped bytes are exactly this set's (its mapped
     * bytes and metadata region). Meaningful only where this set is the space's one user, as on
     * a simulated space made for it.
     *
     * @throws IllegalStateException naming the first broken invariant, or if the set is closed
     */
    public synchronized void verifyAgainstSpace() {
        verify();
        ArenaInvariants.checkAgainstSpace(heapRanges.ranges(), space, ledger.reservedBytes(),
                ledger.mappedBytes());
    }

    /**
     * A snapshot of the set in its address space, for {@link dev.sparseheap.SparseHeap#layout()}
     * and the drawings: arenas, hints, ranges, reservations, the space's foreign mappings and the
     * accounting, with {@code freeRuns} (the page layer's, none for a bare set).
     *
     * @throws IllegalStateException if the set is closed
     */
    public synchronized HeapLayout snapshot(List<ArenaRange> freeRuns) {
        ensureOpen();
        List<ArenaRange> arenaRanges = index.sorted().stream()
                .map(arena -> new ArenaRange(arena.base(), arena.size())).toList();
        List<ArenaRange> foreign = space.mappings().stream()
                .filter(mapping -> mapping.owner() == RangeOwner.FOREIGN)
                .map(mapping -> new ArenaRange(mapping.base(), mapping.size())).toList();
        return new HeapLayout(space.describe(), space.addressBits(), layout, arenaBytes, arenaRanges,
                growth.hints(), heapRanges.ranges(), ledger.reservations(), freeRuns, foreign,
                reservedBytes(), mappedBytes(), metadataBytes());
    }

    /** Frees every reservation of the heap. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            ledger.freeAll();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("arena set is closed");
        }
    }

    @Override
    public synchronized String toString() {
        return "ArenaSet[" + layout + ", " + space.describe() + ", arenas " + index.size()
                + ", mapped " + heapRanges.totalBytes() + " bytes]";
    }
}
