/*
 * The page heap: free page runs over all arenas, spans, coalescing, growth and scavenging.
 *
 * Layout. The heap is the union of the ranges ArenaSet.grow has handed out, cut into 8 KiB heap
 * pages. Every page is either in exactly one live span or in exactly one free run. Free runs
 * live in a FreeRunTree (an address-ordered tree augmented with subtree maxima); live spans are
 * found through the arenas' span maps, which hold the span for every page it covers, so an
 * interior address reaches its span in two loads (arena index, then span map) with no lock.
 *
 * Allocation is address-ordered first fit: the lowest free run that holds the request at the
 * requested alignment. When no run does, the heap grows through ArenaSet.grow and adds the new
 * range as a free run, merging it with a free run that ends where it starts; on a contiguous
 * heap, consecutive arenas therefore form one run and a span may cross arena boundaries.
 *
 * Coalescing consults the tree, not the span map: on free, the run ending at the span's base
 * and the run starting at its end are found by floor/ceiling lookups and merged with it, so
 * runs are always maximal (no two touch). The span map of free pages is cleared, which keeps
 * the map exact (a free page maps to nothing) and lets dead span objects be collected.
 *
 * Zeroing and release state of free pages is kept per page in FreePageStates (fresh, dirty,
 * released). A span is handed out with needsZero == false when none of its pages is dirty.
 * Arena zeroedBase is raised past every span handed out, so it always bounds the pages that
 * have been in use.
 *
 * Scavenging. Retained memory is what may hold physical pages: live spans plus dirty free
 * pages. The goal is retained <= live * retainRatio. A background daemon (optional) releases
 * the excess top-down in batches of at most 1 MiB, each under the lock, sleeping 99 times as
 * long as each batch took (about 1% of a CPU at most). An allocation that would take retained
 * memory over the memory limit releases synchronously first (the soft part of the limit); one
 * that would take live spans over it fails (the hard part). releaseFreeMemory releases all.
 *
 * Every release is reported as a dev.sparseheap.Scavenge JFR event (background, limit or
 * explicit) when a recording wants it.
 *
 * Concurrency. allocate, free, growth, scavenging, stats and verify run under one
 * ReentrantLock: this is the allocator's slow path, behind the object layer's span caches.
 * spanOf takes no lock: span map entries are written with release and read with acquire
 * semantics by PageArena, and a span is marked live before it is published and dead before it
 * is unpublished, so a reader sees a complete span and can tell a freed one.
 *
 * Invariants (checked by verify): the free runs and live spans tile the heap ranges exactly;
 * every page of a live span maps to it; every free page maps to nothing; live spans lie below their arenas' zeroedBase; mapped == inUse + free and
 * the counters agree with a recount; the tree's and the page states' own invariants.
 */
package dev.sparseheap.page;

import dev.sparseheap.ArenaRange;
import dev.sparseheap.arena.ArenaSet;
import dev.sparseheap.arena.HeapArena;
import dev.sparseheap.jfr.FlightRecording;
import dev.sparseheap.jfr.ScavengeEvent;
import dev.sparseheap.os.AddressSpace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Free page runs over all arenas of an {@link ArenaSet}: address-ordered first fit, coalescing,
 * growth, and a scavenger that returns free pages to the OS.
 *
 * <p>Thread safety: safe for concurrent use. {@link #allocate}, {@link #free}, {@link #stats},
 * {@link #freeRuns}, {@link #verify} and {@link #releaseFreeMemory} serialise on one lock;
 * {@link #spanOf} is lock-free. The page heap owns its {@link ArenaSet} and closes it.
 */
public final class PageHeap implements AutoCloseable {

    /** Bytes in a heap page. */
    public static final long PAGE_SIZE = HeapArena.PAGE_SIZE;
    /** log2 of {@link #PAGE_SIZE}. */
    public static final int PAGE_SHIFT = HeapArena.PAGE_SHIFT;

    private final ArenaSet<PageArena> arenas;
    private final AddressSpace space;
    private final PageHeapConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition scavengeWanted = lock.newCondition();
    private final FreeRunTree freeRuns = new FreeRunTree();
    private final FreePageStates pageStates;
    private final Scavenger scavenger;

    private long mappedBytes;
    /** Written under the lock; volatile so that {@link #inUseBytes()} can read it without. */
    private volatile long inUseBytes;
    private long liveSpans;
    private long scavengeCursor = Long.MAX_VALUE;
    private long releasedThisPass;
    private boolean scavengeExhausted;
    private volatile boolean closed;

    /**
     * A page heap over {@code arenas}, which it owns from now on (closing the heap closes them).
     * Starts the background scavenger when the configuration asks for it.
     *
     * @throws IllegalArgumentException when the arena set has grown already (its ranges would
     *                                  belong to nobody)
     */
    public PageHeap(ArenaSet<PageArena> arenas, PageHeapConfig config) {
        this.arenas = Objects.requireNonNull(arenas, "arenas");
        this.config = Objects.requireNonNull(config, "config");
        if (!arenas.heapRanges().isEmpty()) {
            throw new IllegalArgumentException("the arena set has already grown; a page heap needs a new one");
        }
        this.space = arenas.addressSpace();
        this.pageStates = new FreePageStates(space);
        this.scavenger = config.backgroundScavenger() ? new Scavenger(this) : null;
        if (scavenger != null) {
            scavenger.start();
        }
    }

    /**
     * Allocates {@code pages} heap pages aligned to {@code alignment} bytes (a power of two; up
     * to {@link #PAGE_SIZE} means no extra alignment), taking the lowest-address free run that
     * fits and growing the heap when none does. The span is published in the span map for every
     * page it covers.
     *
     * @throws IllegalArgumentException for pages < 1, a size that does not fit in a long, or an
     *                                  alignment that is not a power of two or exceeds the address space
     * @throws OutOfMemoryError         naming the size and the reason (memory limit, address space
     *                                  exhausted, OS refusal); the heap is unchanged and usable
     * @throws IllegalStateException    after {@link #close}, or when the factory's span does not
     *                                  have the base and size it was given
     */
    public <S extends Span> S allocate(long pages, long alignment, SpanFactory<S> factory) {
        Objects.requireNonNull(factory, "factory");
        long bytes = checkedBytes(pages, alignment);
        long pageAlignment = Math.max(alignment, PAGE_SIZE);
        lock.lock();
        try {
            ensureOpen();
            if (bytes > config.memoryLimit() - inUseBytes) {
                throw new OutOfMemoryError("cannot allocate %d bytes: memory limit %d reached (in use %d)"
                        .formatted(bytes, config.memoryLimit(), inUseBytes));
            }
            keepRetainedUnderLimit(bytes);
            long start = placeOrGrow(bytes, pageAlignment);
            long end = start + bytes;
            S span = factory.create(start, pages, pageStates.needsZero(start, end));
            if (span == null || span.base() != start || span.pages() != pages || span.isLive()) {
                throw new IllegalStateException("span factory made %s for %d pages at 0x%x".formatted(span, pages, start));
            }
            pageStates.claim(start, end);
            freeRuns.take(start, bytes);
            span.markLive();
            publish(span);
            inUseBytes += bytes;
            liveSpans++;
            return span;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns a live span's pages to the free runs, merging them with free neighbours. The
     * span is dead from now on and its pages count as dirty until reused or released.
     *
     * @throws IllegalArgumentException when {@code span} is not a live span of this heap
     * @throws IllegalStateException    after {@link #close}
     */
    public void free(Span span) {
        Objects.requireNonNull(span, "span");
        lock.lock();
        try {
            ensureOpen();
            if (!span.isLive() || spanMapEntry(span.base()) != span) {
                throw new IllegalArgumentException(span + " is not a live span of this heap");
            }
            span.markDead();
            unpublish(span);
            pageStates.markDirty(span.base(), span.end());
            freeRuns.addCoalescing(span.base(), span.end());
            inUseBytes -= span.bytes();
            liveSpans--;
            scavengeExhausted = false;
            if (scavenger != null && backgroundExcess() >= pageStates.releaseUnit()) {
                scavengeWanted.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The live span containing {@code address}, or null when the address is not the heap's or
     * lies in free pages. Lock-free; the span may be freed concurrently, so callers that act on
     * it validate further.
     *
     * @throws IllegalStateException after {@link #close}
     */
    public Span spanOf(long address) {
        ensureOpen();
        PageArena arena = arenas.arenaOf(address);
        if (arena == null) {
            return null;
        }
        Span span = arena.span(pageIndex(arena, address));
        return span != null && span.isLive() && span.contains(address) ? span : null;
    }

    /**
     * Releases every dirty free page to the OS now, in whole physical pages: with physical pages
     * larger than heap pages, only the physical pages lying wholly inside free runs.
     *
     * @return bytes released (whole release units, fresh pages among them included)
     * @throws IllegalStateException after {@link #close}
     */
    public long releaseFreeMemory() {
        lock.lock();
        try {
            ensureOpen();
            ScavengeEvent event = ScavengeEvent.begin(FlightRecording.started());
            long released = pageStates.release(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, freeRuns).releasedBytes();
            ScavengeEvent.commit(event, released, ScavengeEvent.EXPLICIT);
            return released;
        } finally {
            lock.unlock();
        }
    }

    /** A consistent snapshot of the heap's accounting. @throws IllegalStateException after close */
    public PageHeapStats stats() {
        lock.lock();
        try {
            ensureOpen();
            return new PageHeapStats(mappedBytes, inUseBytes, freeRuns.totalBytes(), pageStates.releasedBytes(),
                    liveSpans, freeRuns.count(), freeRuns.largest(), pageStates.dirtyBytes());
        } finally {
            lock.unlock();
        }
    }

    /** The free runs in address order (maximal: no two touch). @throws IllegalStateException after close */
    public List<ArenaRange> freeRuns() {
        lock.lock();
        try {
            ensureOpen();
            return freeRuns.runs();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Checks every invariant of the page heap (see the file comment) by walking all heap pages.
     *
     * @throws IllegalStateException describing the first broken invariant, or after close
     */
    public void verify() {
        lock.lock();
        try {
            ensureOpen();
            freeRuns.verify(PAGE_SIZE);
            pageStates.verify(freeRuns);
            verifyTiling();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Bytes of pages in live spans, read without the lock: exact at rest, a recent figure while
     * other threads allocate (the cheap check of a soft limit).
     */
    public long inUseBytes() {
        return inUseBytes;
    }

    /** The arenas under this heap. */
    public ArenaSet<PageArena> arenas() {
        return arenas;
    }

    /** Stops the scavenger and closes the arenas. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            scavengeWanted.signalAll();
        } finally {
            lock.unlock();
        }
        if (scavenger != null) {
            scavenger.stop();
        }
        arenas.close();
    }

    /** Waits until the background scavenger has something to release; false once the heap is closed. */
    boolean awaitScavengeWork() throws InterruptedException {
        lock.lock();
        try {
            while (!closed && (scavengeExhausted || backgroundExcess() < pageStates.releaseUnit())) {
                scavengeWanted.await();
            }
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Releases up to {@code batchBytes} of the excess over the retain goal, examining at most
     * {@code unitBudget} candidate units, continuing downwards from where the last batch stopped.
     */
    long scavengeBatch(long batchBytes, long unitBudget) {
        lock.lock();
        try {
            long goal = Math.min(batchBytes, backgroundExcess());
            if (closed || goal <= 0) {
                return 0;
            }
            ScavengeEvent event = ScavengeEvent.begin(FlightRecording.started());
            FreePageStates.Walk walk = pageStates.release(scavengeCursor, goal, unitBudget, freeRuns);
            ScavengeEvent.commit(event, walk.releasedBytes(), ScavengeEvent.BACKGROUND);
            releasedThisPass += walk.releasedBytes();
            if (walk.resumeBelow() == 0) {
                scavengeExhausted = releasedThisPass == 0;
                releasedThisPass = 0;
                scavengeCursor = Long.MAX_VALUE;
            } else {
                scavengeCursor = walk.resumeBelow();
            }
            return walk.releasedBytes();
        } finally {
            lock.unlock();
        }
    }

    /** Dirty free bytes above the retain goal: live * retainRatio. */
    private long backgroundExcess() {
        long allowedDirty = (long) (inUseBytes * (config.retainRatio() - 1.0));
        return pageStates.dirtyBytes() - allowedDirty;
    }

    private long checkedBytes(long pages, long alignment) {
        if (pages < 1 || pages > Long.MAX_VALUE >>> PAGE_SHIFT) {
            throw new IllegalArgumentException("cannot allocate " + pages + " pages");
        }
        if (alignment <= 0 || Long.bitCount(alignment) != 1 || alignment > space.addressLimit()) {
            throw new IllegalArgumentException("alignment " + alignment
                    + " is not a power of two within the address space");
        }
        long bytes = pages << PAGE_SHIFT;
        if (bytes > space.addressLimit()) {
            throw new OutOfMemoryError("cannot allocate %d bytes: larger than the %d-bit address space"
                    .formatted(bytes, space.addressBits()));
        }
        return bytes;
    }

    /** The soft part of the memory limit: release dirty free pages so retained memory stays under it. */
    private void keepRetainedUnderLimit(long bytes) {
        long roomForDirty = config.memoryLimit() - inUseBytes - bytes;
        long over = pageStates.dirtyBytes() - roomForDirty;
        if (over > 0) {
            ScavengeEvent event = ScavengeEvent.begin(FlightRecording.started());
            long released = pageStates.release(Long.MAX_VALUE, over, Long.MAX_VALUE, freeRuns).releasedBytes();
            ScavengeEvent.commit(event, released, ScavengeEvent.LIMIT);
        }
    }

    private long placeOrGrow(long bytes, long alignment) {
        long start = freeRuns.firstFit(bytes, alignment);
        while (start < 0) {
            grow(bytes, bytes + alignment - PAGE_SIZE);
            start = freeRuns.firstFit(bytes, alignment);
        }
        return start;
    }

    /** Grows the heap by at least {@code growBytes} for a request of {@code requestBytes}. */
    private void grow(long requestBytes, long growBytes) {
        ArenaRange range = arenas.grow(growBytes);
        if (range == null) {
            throw new OutOfMemoryError("cannot allocate %d bytes: address space exhausted (heap maps %d bytes in %d arenas)"
                    .formatted(requestBytes, mappedBytes, arenas.arenaCount()));
        }
        forEachArenaPiece(range.base(), range.end(), (arena, firstPage, pageCount, pieceBase, pieceEnd) -> {
            long zeroFrom = Math.clamp(arena.zeroedBase(), pieceBase, pieceEnd);
            if (pieceBase < zeroFrom) {
                pageStates.markDirty(pieceBase, zeroFrom);
            }
        });
        freeRuns.addCoalescing(range.base(), range.end());
        mappedBytes += range.size();
    }

    private void publish(Span span) {
        forEachArenaPiece(span.base(), span.end(), (arena, firstPage, pageCount, pieceBase, pieceEnd) -> {
            for (int page = firstPage; page < firstPage + pageCount; page++) {
                arena.setSpan(page, span);
            }
            if (arena.zeroedBase() < pieceEnd) {
                arena.setZeroedBase(pieceEnd);
            }
        });
    }

    private void unpublish(Span span) {
        forEachArenaPiece(span.base(), span.end(), (arena, firstPage, pageCount, pieceBase, pieceEnd) -> {
            for (int page = firstPage; page < firstPage + pageCount; page++) {
                arena.setSpan(page, null);
            }
        });
    }

    private Span spanMapEntry(long address) {
        PageArena arena = arenas.arenaOf(address);
        return arena == null ? null : arena.span(pageIndex(arena, address));
    }

    private void verifyTiling() {
        List<ArenaRange> runs = freeRuns.runs();
        int nextRun = 0;
        long mapped = 0;
        long inUse = 0;
        long spans = 0;
        for (ArenaRange range : mergedHeapRanges()) {
            mapped += range.size();
            long at = range.base();
            while (at < range.end()) {
                long nextFree = nextRun < runs.size() ? runs.get(nextRun).base() : Long.MAX_VALUE;
                if (nextFree == at) {
                    ArenaRange run = runs.get(nextRun++);
                    requireInside(run.base(), run.end(), range, "free run");
                    verifyFreePages(run.base(), run.end());
                    at = run.end();
                    continue;
                }
                Span span = spanMapEntry(at);
                if (span == null || !span.isLive() || span.base() != at) {
                    throw new IllegalStateException("page 0x%x is neither free nor the first page of a live span".formatted(at));
                }
                requireInside(span.base(), span.end(), range, "live span");
                if (nextFree < span.end()) {
                    throw new IllegalStateException("free run at 0x%x overlaps %s".formatted(nextFree, span));
                }
                verifySpanPages(span);
                inUse += span.bytes();
                spans++;
                at = span.end();
            }
        }
        if (nextRun != runs.size()) {
            throw new IllegalStateException("free run " + runs.get(nextRun) + " lies outside the heap ranges");
        }
        if (mapped != mappedBytes || inUse != inUseBytes || spans != liveSpans
                || mappedBytes != inUseBytes + freeRuns.totalBytes()) {
            throw new IllegalStateException(("accounting: counted mapped %d, in use %d in %d spans, free %d; "
                    + "recount mapped %d, in use %d in %d spans").formatted(mappedBytes, inUseBytes, liveSpans,
                    freeRuns.totalBytes(), mapped, inUse, spans));
        }
    }

    /** The arenas' heap ranges sorted, with touching ranges joined (free runs and spans may cross them). */
    private List<ArenaRange> mergedHeapRanges() {
        List<ArenaRange> sorted = new ArrayList<>(arenas.heapRanges());
        sorted.sort(Comparator.comparingLong(ArenaRange::base));
        List<ArenaRange> merged = new ArrayList<>();
        for (ArenaRange range : sorted) {
            ArenaRange last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && last.end() > range.base()) {
                throw new IllegalStateException("heap ranges " + last + " and " + range + " overlap");
            }
            if (last != null && last.end() == range.base()) {
                merged.set(merged.size() - 1, new ArenaRange(last.base(), range.end() - last.base()));
            } else {
                merged.add(range);
            }
        }
        return merged;
    }

    private static void requireInside(long base, long end, ArenaRange range, String what) {
        if (end > range.end()) {
            throw new IllegalStateException("%s [0x%x, 0x%x) runs past the heap range %s".formatted(what, base, end, range));
        }
    }

    private void verifyFreePages(long base, long end) {
        forEachArenaPiece(base, end, (arena, firstPage, pageCount, pieceBase, pieceEnd) -> {
            for (int page = firstPage; page < firstPage + pageCount; page++) {
                if (arena.span(page) != null) {
                    throw new IllegalStateException("free page 0x%x is mapped to %s"
                            .formatted(arena.base() + ((long) page << PAGE_SHIFT), arena.span(page)));
                }
            }
        });
    }

    private void verifySpanPages(Span span) {
        forEachArenaPiece(span.base(), span.end(), (arena, firstPage, pageCount, pieceBase, pieceEnd) -> {
            if (arena.zeroedBase() < pieceEnd) {
                throw new IllegalStateException("%s lies above its arena's zeroedBase 0x%x".formatted(span, arena.zeroedBase()));
            }
            for (int page = firstPage; page < firstPage + pageCount; page++) {
                if (arena.span(page) != span) {
                    throw new IllegalStateException("page 0x%x of %s maps to %s"
                            .formatted(arena.base() + ((long) page << PAGE_SHIFT), span, arena.span(page)));
                }
            }
        });
    }

    /** Work on the part of one arena that a range covers. */
    @FunctionalInterface
    private interface ArenaPieceAction {
        void apply(PageArena arena, int firstPage, int pageCount, long pieceBase, long pieceEnd);
    }

    /** Splits [base, end) at arena boundaries and applies the action to each piece in order. */
    private void forEachArenaPiece(long base, long end, ArenaPieceAction action) {
        for (long at = base; at < end; ) {
            PageArena arena = arenas.arenaOf(at);
            if (arena == null) {
                throw new IllegalStateException("0x%x lies in no arena of the heap".formatted(at));
            }
            long pieceEnd = Math.min(end, arena.base() + arena.size());
            action.apply(arena, pageIndex(arena, at), (int) ((pieceEnd - at) >>> PAGE_SHIFT), at, pieceEnd);
            at = pieceEnd;
        }
    }

    private static int pageIndex(HeapArena arena, long address) {
        return (int) ((address - arena.base()) >>> PAGE_SHIFT);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("page heap is closed");
        }
    }
}
