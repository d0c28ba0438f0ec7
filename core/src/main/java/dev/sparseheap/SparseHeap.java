/*
 * The public face of the allocator: C-style malloc/free on raw addresses, a SegmentAllocator
 * for java.lang.foreign, child arenas, statistics, an address-space map and verification.
 *
 * Layers (each owned by its package): the address space (os) holds reservations and mappings;
 * the arena set (arena) reserves size-aligned arenas and finds any address's arena; the page
 * heap (page) hands out spans of 8 KiB pages and gives free pages back to the OS; the object
 * heap (alloc) cuts spans into objects through size classes and thread caches. This class
 * validates arguments before anything changes, zeroes memory only when the object heap says it
 * may hold old bytes, and turns an exhausted limit into an OutOfMemoryError naming the size.
 *
 * Memory access. On the real OS the heap reads and writes its objects (zeroing, copying in
 * realloc) through one segment that spans the whole address space; over a simulated space
 * nothing is ever read or written, and the segment API (which must hand out accessible
 * memory) throws UnsupportedOperationException.
 *
 * Lifetime. Segments from allocate() belong to one shared JDK arena of the heap, closed by
 * close(): afterwards every such segment throws on access instead of touching unmapped memory.
 * Child arenas from newArena() and newSharedArena() have their own confined or shared JDK arena;
 * close() closes the shared ones and the confined ones the calling thread owns, and refuses,
 * changing nothing, while another thread still holds a confined one open. Raw addresses carry no such protection: after close() they must not be used, and
 * close() must not race with other calls on the heap.
 *
 * Observability (the heap answers "who holds it?"). Hook points on the fast paths, all cheap:
 *   - allocation: after the object heap returns an address and before the caller sees it,
 *     sampler.onAllocation(address, size, allocator) (a per-thread byte countdown; see the
 *     profile package);
 *   - free: sampler.mayHold(address) (one load from a small counter table) and only then
 *     sampler.onFree(address), both before the object heap frees, so that a reused address
 *     never loses its new sample; then, when any child allocator was ever created,
 *     a check that no allocator holds the address (HeapAllocator owns its own table);
 *   - soft limit: one null check unless one is set, then a lock-free read of the pages in use.
 * Everything else (JFR events, leak reports, JMX, summaries) is on rare paths: failures, bad
 * frees, close, and JFR's periodic hook. Child allocators (HeapAllocator) allocate through the
 * package-private ...As methods, which sample under the child's path.
 */
package dev.sparseheap;

import dev.sparseheap.alloc.BadFrees;
import dev.sparseheap.alloc.ClassUsage;
import dev.sparseheap.alloc.LargeUsage;
import dev.sparseheap.alloc.ObjectHeap;
import dev.sparseheap.alloc.SizeClasses;
import dev.sparseheap.arena.ArenaSet;
import dev.sparseheap.jfr.AllocationFailureEvent;
import dev.sparseheap.jfr.BadFreeEvent;
import dev.sparseheap.jfr.FlightRecording;
import dev.sparseheap.jfr.HeapSummaryEvent;
import dev.sparseheap.os.AddressSpace;
import dev.sparseheap.os.LinuxAddressSpace;
import dev.sparseheap.page.PageArena;
import dev.sparseheap.page.PageHeap;
import dev.sparseheap.page.PageHeapConfig;
import dev.sparseheap.page.PageHeapStats;
import dev.sparseheap.profile.Sample;
import dev.sparseheap.profile.Sampler;
import dev.sparseheap.trace.TraceRecorder;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * A native-memory heap built like the Go runtime's: sparse size-aligned arenas, spans of pages,
 * size classes and thread caches.
 *
 * <p>Errors: a bad address, size or alignment throws {@link IllegalArgumentException} and
 * changes nothing; any call after {@link #close()} throws {@link IllegalStateException};
 * allocation beyond the memory limit or beyond what the OS gives throws
 * {@link OutOfMemoryError} naming the size and the reason, and the heap stays usable. Edge cases
 * follow C: {@code malloc(0)} returns a unique address that must be freed, {@code realloc(p, 0)}
 * returns a minimal object, {@code free(0)} does nothing.
 *
 * <p>Thread safety: every method may be called by any thread at any time, except
 * {@link #close()}, which must not race with other calls, and {@link #verify()}, which is exact
 * only while no other thread allocates or frees. Any thread may free any object.
 */
public final class SparseHeap implements UninitializedAllocation, AutoCloseable {

    /** Largest size served from size classes; larger objects get pages of their own. */
    public static final long MAX_SMALL_SIZE = SizeClasses.MAX_SMALL_SIZE;

    /**
     * The mean sampling interval for profiling a running program, one sample per 512 KiB
     * allocated (Go's default): about 400 samples per 200 MiB of a site's live bytes, enough for
     * estimates within a quarter. Sampling is off unless {@link Builder#sampling(long)} turns it
     * on: its fixed cost on the allocation and free fast paths is measured above the 2 % a
     * default may cost (docs/BENCHMARKS.md).
     */
    public static final long PROFILING_SAMPLING_INTERVAL = 512 << 10;

    private static final System.Logger LOG = System.getLogger("dev.sparseheap");
    /** Classes whose frames are the heap's own and are left out of sampled stacks (nested classes too). */
    private static final List<String> HEAP_FRAME_CLASSES = List.of(SparseHeap.class.getName(),
            HeapAllocator.class.getName(), ChildArena.class.getName(), UninitializedAllocation.class.getName());

    @SuppressWarnings("restricted") // the heap's own mapped memory, reached by address
    private static final MemorySegment ALL_MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private final AddressSpace space;
    private final ArenaSet<PageArena> arenas;
    private final PageHeap pages;
    private final ObjectHeap objects;
    private final boolean backed;
    private final long addressLimit;
    private final Arena segmentScope;
    private final Set<ChildArena> openChildren = ConcurrentHashMap.newKeySet();
    private final String name;
    private final String allocatorLabel;
    private final BadFrees badFrees;
    private final long samplingInterval;
    private final Sampler sampler;
    private final SoftLimit softLimit;
    private final Set<HeapAllocator> allocators = ConcurrentHashMap.newKeySet();
    private final HeapBeans beans;
    private volatile boolean hasAllocators;
    /** Where every allocation, resize and free goes when a trace is recorded; null otherwise. */
    private final TraceRecorder recorder;
    private volatile boolean closed;

    private SparseHeap(Builder builder, TraceRecorder recorder) {
        this.recorder = recorder;
        this.name = builder.name;
        this.allocatorLabel = name.isEmpty() ? "heap" : name;
        this.samplingInterval = builder.samplingInterval;
        this.sampler = samplingInterval == 0 ? null
                : new Sampler(samplingInterval, builder.samplingSeed, SparseHeap::isHeapFrame);
        this.softLimit = builder.softLimit;
        this.badFrees = new BadFrees(reportingLate(allocatorLabel, builder.onBadFree));
        this.space = builder.addressSpace != null ? builder.addressSpace : LinuxAddressSpace.create();
        this.arenas = builder.arenaBytes == 0
                ? ArenaSet.create(space, builder.layout, PageArena.FACTORY)
                : ArenaSet.create(space, builder.layout, builder.arenaBytes, PageArena.FACTORY);
        this.pages = new PageHeap(arenas, PageHeapConfig.defaults()
                .withMemoryLimit(builder.memoryLimit)
                .withBackgroundScavenger(builder.backgroundScavenger));
        this.backed = space.isBackedByMemory();
        this.objects = new ObjectHeap(pages, builder.threadCaches, badFrees,
                backed ? SparseHeap::clearMemory : (address, bytes) -> { });
        this.addressLimit = space.addressLimit();
        this.segmentScope = backed ? Arena.ofShared() : null;
        HeapBeans registered = null;
        try {
            registered = name.isEmpty() ? null : HeapBeans.register(this, name);
        } finally {
            if (registered == null && !name.isEmpty()) {
                pages.close();
                if (segmentScope != null) {
                    segmentScope.close();
                }
            }
        }
        this.beans = registered;
        HeapSummaries.opened(this);
    }

    /**
     * A heap on the real OS ({@link LinuxAddressSpace}) with the sparse layout and default settings.
     *
     * @return a new, empty heap; close it to give its memory back
     * @throws IllegalStateException when not running on Linux on x86-64 or aarch64
     */
    public static SparseHeap create() {
        return builder().build();
    }

    /**
     * A builder for a heap with other settings.
     *
     * @return a new builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Allocates {@code size} bytes; contents unspecified. Objects of 16 bytes or more are
     * 16-byte aligned, smaller ones 8-byte aligned.
     *
     * @param size bytes wanted, 0 or more
     * @return the address of the object, never 0
     * @throws IllegalArgumentException if {@code size} is negative or larger than the address space
     * @throws IllegalStateException    after {@link #close()}
     * @throws OutOfMemoryError         if the memory limit or the OS refuses the memory
     */
    public long malloc(long size) {
        return mallocAs(size, allocatorLabel);
    }

    /** {@link #malloc(long)} for {@code allocator}, the heap's label or a child's path. */
    long mallocAs(long size, String allocator) {
        long address = allocateObject(size, allocator);
        if (recorder != null) {
            recorder.allocated(address, size);
        }
        return address;
    }

    /** Allocates for {@link #mallocAs} and a moving {@link #realloc}, which records a resize instead. */
    private long allocateObject(long size, String allocator) {
        checkLargeSize(size);
        if (softLimit != null) {
            softLimit.beforeAllocation(pages.inUseBytes(), size);
        }
        long address;
        try {
            address = objects.allocate(size);
        } catch (OutOfMemoryError e) {
            address = retryAfterReclaim(size, allocator, e, () -> objects.allocate(size));
        }
        return sampled(address, size, allocator);
    }

    /**
     * Allocates {@code size} zeroed bytes, writing zeros only where the memory may hold old bytes.
     *
     * @param size bytes wanted, 0 or more
     * @return the address of the object, never 0
     * @throws IllegalArgumentException if {@code size} is negative or larger than the address space
     * @throws IllegalStateException    after {@link #close()}
     * @throws OutOfMemoryError         if the memory limit or the OS refuses the memory
     */
    public long calloc(long size) {
        return callocAs(size, allocatorLabel);
    }

    /** {@link #calloc(long)} for {@code allocator}, the heap's label or a child's path. */
    long callocAs(long size, String allocator) {
        checkLargeSize(size);
        long address = allocateAligned(size, 1, allocator, true);
        if (recorder != null) {
            recorder.zeroed(address, size);
        }
        return sampled(address, size, allocator);
    }

    /**
     * Allocates {@code size} bytes at an address aligned to {@code alignment}; contents
     * unspecified.
     *
     * @param size      bytes wanted, 0 or more
     * @param alignment a power of two
     * @return the address of the object, a multiple of {@code alignment}
     * @throws IllegalArgumentException if {@code size} is negative or too large, or
     *                                  {@code alignment} is not a power of two or too large
     * @throws IllegalStateException    after {@link #close()}
     * @throws OutOfMemoryError         if the memory limit or the OS refuses the memory
     */
    public long mallocAligned(long size, long alignment) {
        return mallocAlignedAs(size, alignment, allocatorLabel);
    }

    /** {@link #mallocAligned(long, long)} for {@code allocator}, the heap's label or a child's path. */
    long mallocAlignedAs(long size, long alignment, String allocator) {
        checkOpen();
        checkSize(size);
        checkAlignment(alignment);
        long address = allocateAligned(size, alignment, allocator, false);
        if (recorder != null) {
            recorder.aligned(address, size, alignment);
        }
        return sampled(address, size, allocator);
    }

    /**
     * Resizes the object at {@code address} to {@code size} bytes, keeping its contents up to
     * the smaller size. It stays in place when its size class (or its pages, for a large object)
     * still fits without undue waste; otherwise it moves and the old address is freed.
     * {@code realloc(0, size)} is {@code malloc(size)}; {@code realloc(p, 0)} returns a minimal
     * object and never frees without returning one.
     *
     * @param address the object, or 0
     * @param size    bytes wanted, 0 or more
     * @return the object's address, possibly new
     * @throws IllegalArgumentException if no live object starts at {@code address}, or
     *                                  {@code size} is negative or too large; nothing changes
     * @throws IllegalStateException    after {@link #close()}
     * @throws OutOfMemoryError         if the object must move and there is no memory; the old
     *                                  object stays as it was
     */
    public long realloc(long address, long size) {
        if (address == 0) {
            return malloc(size);
        }
        checkOpen();
        checkSize(size);
        if (hasAllocators) {
            checkNotOwnedByAllocator(address);
        }
        long usable = objects.usableSize(address);
        if (objects.fitsInPlace(address, usable, size)) {
            if (recorder != null) {
                recorder.resized(address, address, size);
            }
            return address;
        }
        long moved = allocateObject(size, allocatorLabel);
        copyObject(address, moved, Math.min(usable, size));
        if (recorder != null) {
            recorder.resized(address, moved, size);
        }
        freeObject(address);
        return moved;
    }

    /**
     * Frees the object at {@code address}; {@code free(0)} does nothing. Any thread may free any
     * object: the thread whose cache owns it frees it with plain loads and stores, any other
     * thread with one atomic instruction.
     *
     * <p>A bad free that the calling thread can see — an address that is not the start of a
     * live object of this heap (foreign, interior, never handed out), a second free by the same
     * thread, or any free ordered after another free of the same object — throws and changes
     * nothing. When two threads race to free the same live object, it is freed exactly once and
     * the duplicate is found exactly once: thrown to its caller, or, when both calls return,
     * found later when the owner collects the remote frees; then it is passed to the
     * {@link Builder#onBadFree onBadFree} handler. Either way it is counted in
     * {@link HeapStats#badFrees()}, and {@link #verify()} settles pending frees first. (A
     * duplicate that arrives after the object's memory was handed out again frees the new
     * object, as in any allocator: it cannot be told from a legitimate free.)
     *
     * @param address the start of a live object of this heap, or 0
     * @throws IllegalArgumentException if {@code address} is not the start of a live object of
     *                                  this heap (foreign, interior, or already freed); nothing changes
     * @throws IllegalStateException    after {@link #close()}
     */
    public void free(long address) {
        if (address == 0) {
            checkOpen();
            return;
        }
        if (hasAllocators) {
            checkNotOwnedByAllocator(address);
        }
        freeOwned(address);
    }

    /** Frees an object the caller has the right to free (no allocator check). */
    void freeOwned(long address) {
        if (recorder != null) {
            recorder.freeing(address);
        }
        freeObject(address);
    }

    /** Frees for {@link #freeOwned} and a moving {@link #realloc}, which records a resize instead. */
    private void freeObject(long address) {
        Sampler s = sampler;
        if (s != null && s.mayHold(address)) {
            s.onFree(address);
        }
        try {
            objects.free(address);
        } catch (IllegalArgumentException badFree) {
            if (FlightRecording.started()) {
                commitBadFree(address, badFreeKind(address), allocatorLabel, badFree);
            }
            throw badFree;
        }
    }

    /**
     * Bytes usable at {@code address}, at least the size asked for.
     *
     * @param address the start of a live object
     * @return the object's usable bytes
     * @throws IllegalArgumentException if {@code address} is not the start of a live object
     * @throws IllegalStateException    after {@link #close()}
     */
    public long usableSize(long address) {
        checkOpen();
        return objects.usableSize(address);
    }

    /**
     * The start of the live object that holds {@code address}: a lookup through the arena
     * index, for interior pointers. The answer may be stale as soon as it is returned if another
     * thread frees the object.
     *
     * @param address any address
     * @return the object's start, or 0 when no live object of this heap holds {@code address}
     * @throws IllegalStateException after {@link #close()}
     */
    public long objectBase(long address) {
        checkOpen();
        return objects.objectBase(address);
    }

    /**
     * A zeroed segment of {@code byteSize} bytes aligned to {@code byteAlignment}. It stays
     * accessible until it is freed through {@link #free(MemorySegment)} or the heap is closed.
     *
     * @param byteSize      bytes, 0 or more
     * @param byteAlignment a power of two
     * @return the segment, of the heap's shared scope
     * @throws IllegalArgumentException      for a negative size or an alignment that is not a power of two
     * @throws IllegalStateException         after {@link #close()}
     * @throws UnsupportedOperationException over a simulated address space, which has no memory
     * @throws OutOfMemoryError              if the memory limit or the OS refuses the memory
     */
    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        return segmentOf(allocateSegmentMemory(byteSize, byteAlignment, true), byteSize, segmentScope);
    }

    /**
     * A segment like {@link #allocate(long, long)} gives, but not zeroed: its contents are
     * unspecified. For callers that overwrite the whole segment at once.
     *
     * @param byteSize      bytes, 0 or more
     * @param byteAlignment a power of two
     * @return the segment, of the heap's shared scope
     * @throws IllegalArgumentException      for a negative size or an alignment that is not a power of two
     * @throws IllegalStateException         after {@link #close()}
     * @throws UnsupportedOperationException over a simulated address space, which has no memory
     * @throws OutOfMemoryError              if the memory limit or the OS refuses the memory
     */
    @Override
    public MemorySegment allocateUninitialized(long byteSize, long byteAlignment) {
        return segmentOf(allocateSegmentMemory(byteSize, byteAlignment, false), byteSize, segmentScope);
    }

    /**
     * Frees the object behind a segment from {@link #allocate(long, long)}.
     *
     * @param segment a segment this heap allocated and that was not freed yet
     * @throws IllegalArgumentException if the segment does not start at a live object of this heap
     * @throws IllegalStateException    after {@link #close()}
     */
    @Override
    public void free(MemorySegment segment) {
        checkOpen();
        free(segment.address());
    }

    /**
     * A new arena whose segments are objects of this heap, all freed when it closes. As with
     * {@link Arena#ofConfined()}, it and its segments are confined to the calling thread,
     * closing it twice throws {@link IllegalStateException}, and its segments are inaccessible
     * once it is closed.
     *
     * @return a new, open arena
     * @throws IllegalStateException         after {@link #close()}
     * @throws UnsupportedOperationException over a simulated address space
     */
    public Arena newArena() {
        return openChild(ChildArena::confined);
    }

    /**
     * A new arena whose segments are objects of this heap, all freed when it closes. As with
     * {@link Arena#ofShared()}, any thread may allocate from it and use its segments, any thread
     * may close it once (again throws {@link IllegalStateException}), and its segments are
     * inaccessible once it is closed.
     *
     * @return the new, open arena
     * @throws UnsupportedOperationException over a simulated address space
     * @throws IllegalStateException         after {@link #close()}
     */
    public Arena newSharedArena() {
        return openChild(ChildArena::shared);
    }

    private Arena openChild(Function<SparseHeap, ChildArena> kind) {
        checkOpen();
        checkBacked();
        ChildArena child = kind.apply(this);
        openChildren.add(child);
        return child;
    }

    /**
     * A new child allocator named {@code allocatorName} with no limit of its own; see
     * {@link #newAllocator(String, long)}.
     *
     * @param allocatorName its name: not empty, without '/', unique among the heap's open
     *                      allocators
     * @return the new, open allocator
     * @throws IllegalArgumentException if the name is empty, holds '/', or is an open allocator's
     *                                  already; nothing is created
     * @throws NullPointerException     if {@code allocatorName} is null
     * @throws IllegalStateException    after {@link #close()}
     */
    public HeapAllocator newAllocator(String allocatorName) {
        return newAllocator(allocatorName, Long.MAX_VALUE);
    }

    /**
     * A new child allocator named {@code allocatorName} whose live objects may take at most
     * {@code limit} usable bytes: its own accounting and limits, its own leak report when it
     * closes, its figures in {@link HeapStats#allocators()} and, for a named heap, its own MBean.
     * Closing the heap closes it.
     *
     * @param allocatorName its name: not empty, without '/', unique among the heap's open
     *                      allocators
     * @param limit         the most usable bytes its live objects (and its descendants') may
     *                      take, positive; {@link Long#MAX_VALUE} for none
     * @return the new, open allocator
     * @throws IllegalArgumentException if the name is empty, holds '/', or is an open child's
     *                                  already, or the limit is not positive; nothing is created
     * @throws NullPointerException     if {@code allocatorName} is null
     * @throws IllegalStateException    after {@link #close()}
     */
    public HeapAllocator newAllocator(String allocatorName, long limit) {
        checkOpen();
        return HeapAllocator.open(this, null, allocators, allocatorName, limit);
    }

    /**
     * The open child allocators of the heap itself (their children through each).
     *
     * @return an immutable snapshot of them, in no particular order; empty after {@link #close()}
     */
    public List<HeapAllocator> allocators() {
        return List.copyOf(allocators);
    }

    /**
     * The heap's name (see {@link Builder#name(String)}).
     *
     * @return the name, or the empty string when the heap is unnamed
     */
    public String name() {
        return name;
    }

    /**
     * Mean bytes allocated between samples (see {@link Builder#sampling(long)}).
     *
     * @return the interval in bytes; 0 when sampling is off, 1 when every allocation is sampled
     */
    public long samplingInterval() {
        return samplingInterval;
    }

    /**
     * The live sampled allocations by allocation site: estimated live bytes and objects of each
     * site, largest first. Empty, saying so, when sampling is off. Safe to call while other
     * threads allocate and free.
     *
     * @return an immutable profile of the samples live now
     * @throws IllegalStateException after {@link #close()}
     */
    public HeapProfile profile() {
        checkOpen();
        return sampler == null ? HeapProfile.empty(name) : HeapProfile.of(name, samplingInterval, sampler.liveSamples());
    }

    /**
     * The profile at the highest estimated live heap so far (taken when the estimate passed the
     * previous peak by more than 1/64); empty when sampling is off. Safe to call while other
     * threads allocate and free.
     *
     * @return an immutable profile of the samples that were live at that peak
     * @throws IllegalStateException after {@link #close()}
     */
    public HeapProfile peakProfile() {
        checkOpen();
        return sampler == null ? HeapProfile.empty(name) : HeapProfile.of(name, samplingInterval, sampler.peakSamples());
    }

    /**
     * A snapshot of the heap's memory and object counters. Safe to call while other threads
     * allocate and free; the counters of different layers are read one after the other, so they
     * add up exactly only while the heap is quiet.
     *
     * @return an immutable snapshot
     * @throws IllegalStateException after {@link #close()}
     */
    public HeapStats stats() {
        checkOpen();
        PageHeapStats pageStats = pages.stats();
        List<HeapStats.SizeClassStats> classes = new ArrayList<>();
        long liveObjects = 0;
        long liveBytes = 0;
        long allocations = 0;
        long frees = 0;
        long bitmapBytes = 0;
        for (ClassUsage usage : objects.classUsage()) {
            classes.add(new HeapStats.SizeClassStats(usage.sizeClass(), usage.objectSize(), usage.spans(),
                    usage.liveObjects(), usage.allocations(), usage.frees()));
            liveObjects += usage.liveObjects();
            liveBytes += usage.liveObjects() * usage.objectSize();
            allocations += usage.allocations();
            frees += usage.frees();
            bitmapBytes += usage.bitmapBytes();
        }
        LargeUsage large = objects.largeUsage();
        List<HeapStats.AllocatorStats> children = new ArrayList<>();
        for (HeapAllocator child : allocators) {
            child.collectStats(children);
        }
        return new HeapStats(arenas.reservedBytes(), pageStats.mappedBytes(), pageStats.inUseBytes(),
                pageStats.freeBytes(), pageStats.releasedBytes(), arenas.metadataBytes() + bitmapBytes,
                liveObjects + large.liveObjects(), liveBytes + large.liveBytes(),
                allocations + large.allocations(), frees + large.frees(), objects.badFrees(),
                large.liveObjects(), large.liveBytes(), objects.threadCacheCount(), classes, children);
    }

    /**
     * A snapshot of where the heap lies in its address space: its arenas, the hints it grows at,
     * its ranges, reservations and free page runs, and the mappings of others around it as the
     * address space lists them ({@link AddressSpace#mappings()}; on the real OS that reads the
     * kernel's list of the process's mappings, so this is not a cheap call).
     *
     * <p>Thread-safe: may be called while other threads allocate and free; the snapshot is
     * consistent within the arena layer and the page layer, each read under its own lock.
     *
     * @return an immutable snapshot
     * @throws IllegalStateException after {@link #close()}
     */
    public HeapLayout layout() {
        checkOpen();
        return arenas.snapshot(pages.freeRuns());
    }

    /**
     * Gives cached spans with no live object back to the page heap and every free page's
     * physical memory back to the OS.
     *
     * @return bytes released to the OS
     */
    public long releaseMemory() {
        checkOpen();
        objects.settleCaches(true);
        return pages.releaseFreeMemory();
    }

    /**
     * Checks every invariant of the heap: no two live objects overlap, every live object lies in
     * a live span of a mapped arena, bitmaps and counts agree, spans sit where their state says,
     * span bytes add up to the page heap's, and the page heap's and the arenas' own invariants.
     * Exact only while no other thread allocates or frees.
     *
     * <p>First it settles pending remote frees (frees of objects by threads other than the one
     * whose cache owns them) in every cache the calling thread can hold — its own, free ones,
     * those of threads that have died — so that afterwards the duplicate of every racing pair
     * of frees in those caches has been counted in {@link HeapStats#badFrees()}. Caches leased
     * by other live threads are settled by those threads on their next slow path.
     *
     * @throws HeapCorruptionException listing every problem found
     */
    public void verify() {
        checkOpen();
        objects.settleCaches(false);
        List<String> problems = new ArrayList<>();
        objects.verify(problems);
        try {
            pages.verify();
        } catch (RuntimeException | AssertionError e) {
            problems.add("page heap: " + e.getMessage());
        }
        try {
            arenas.verify();
        } catch (RuntimeException | AssertionError e) {
            problems.add("arenas: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new HeapCorruptionException(problems);
        }
    }

    /**
     * Closes the heap: its segments become inaccessible, shared child arenas and confined ones
     * owned by the calling thread are closed, and all memory goes back to the OS. Closing again
     * does nothing. Open child allocators are closed, and every leak (theirs, and objects of the
     * heap still live) is reported as a warning through the {@code dev.sparseheap}
     * {@link System.Logger} with the allocation sites sampling knows; close never throws for a
     * leak. A trace being recorded is written out and closed last.
     *
     * @throws IllegalStateException if another thread still holds a child arena open; nothing
     *                               changes then
     * @throws java.io.UncheckedIOException if the trace being recorded could not be written
     *                               completely; the heap is closed all the same
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        for (ChildArena child : openChildren) {
            if (!child.isClosableByCurrentThread()) {
                throw new IllegalStateException("a child arena of this heap is still open in " + child.owner());
            }
        }
        for (ChildArena child : List.copyOf(openChildren)) {
            child.closeScope();
        }
        openChildren.clear();
        reportLeaks();
        if (beans != null) {
            beans.close();
        }
        HeapSummaries.closed(this);
        closed = true;
        objects.close();
        if (segmentScope != null) {
            segmentScope.close();
        }
        pages.close();
        if (recorder != null) {
            recorder.close();
        }
    }

    /**
     * The address space the heap lives in.
     *
     * @return the space given to the builder, or the real OS's
     */
    public AddressSpace addressSpace() {
        return space;
    }

    /**
     * Allocates memory for a segment, zeroed if asked.
     *
     * @return the address of the object
     */
    long allocateSegmentMemory(long byteSize, long byteAlignment, boolean zero) {
        checkOpen();
        checkBacked();
        checkSize(byteSize);
        checkAlignment(byteAlignment);
        long address = allocateAligned(byteSize, byteAlignment, allocatorLabel, zero);
        if (recorder != null) {
            recorder.aligned(address, byteSize, byteAlignment);
        }
        return sampled(address, byteSize, allocatorLabel);
    }

    void childClosed(ChildArena child) {
        openChildren.remove(child);
    }

    /** Closes the open child allocators and logs their leaks and the heap's own live objects. */
    private void reportLeaks() {
        for (HeapAllocator child : List.copyOf(allocators)) {
            HeapLeakException leak = child.release();
            if (leak != null) {
                LOG.log(System.Logger.Level.WARNING, "closing heap " + allocatorLabel + ": " + leak.getMessage());
            }
        }
        HeapStats left = stats();
        if (left.objects() > 0) {
            LOG.log(System.Logger.Level.WARNING, "closing heap: " + HeapLeakException.report(allocatorLabel,
                    left.objects(), left.liveBytes(), profile()));
        }
    }

    void allocatorOpened(HeapAllocator child) {
        hasAllocators = true;
        if (beans != null) {
            beans.allocatorOpened(child);
        }
    }

    void allocatorClosed(HeapAllocator child) {
        if (child.parent() == null) {
            allocators.remove(child);
        }
        if (beans != null) {
            beans.allocatorClosed(child);
        }
    }

    /** The live sample at {@code address}, or null (sampling off, or not sampled). */
    Sample sampleAt(long address) {
        return sampler == null ? null : sampler.sampleAt(address);
    }

    /** Whether an object of {@code usable} bytes at {@code address} can take {@code size} bytes in place. */
    boolean fitsInPlace(long address, long usable, long size) {
        checkSize(size);
        return objects.fitsInPlace(address, usable, size);
    }

    /** Copies {@code bytes} from one object to another (nothing over a simulated space). */
    void copyObject(long from, long to, long bytes) {
        if (backed && bytes > 0) {
            MemorySegment.copy(ALL_MEMORY, from, ALL_MEMORY, to, bytes);
        }
    }

    /**
     * The bad free (or realloc) of {@code address} through {@code allocator}, which does not hold
     * it: counted with the heap's bad frees and reported as a BadFree event, then returned for
     * throwing. Nothing is freed.
     */
    IllegalArgumentException wrongAllocator(long address, String allocator) {
        checkOpen();
        String kind = objects.objectBase(address) == address ? "wrong allocator" : badFreeKind(address);
        IllegalArgumentException badFree = new IllegalArgumentException(String.format(
                "0x%x is not a live object of allocator %s (%s)", address, allocator,
                kind.equals("wrong allocator") ? "another allocator holds it" : kind + " free"));
        badFrees.thrown(badFree);
        if (FlightRecording.started()) {
            commitBadFree(address, kind, allocator, badFree);
        }
        return badFree;
    }

    private void checkNotOwnedByAllocator(long address) {
        for (HeapAllocator child : allocators) {
            if (child.holdsInSubtree(address)) {
                throw wrongAllocator(address, allocatorLabel);
            }
        }
    }

    /** What is wrong with a free of {@code address} that the object heap rejected. */
    private String badFreeKind(long address) {
        long base = objects.objectBase(address);
        if (base != 0 && base != address) {
            return "interior";
        }
        return arenas.arenaOf(address) != null ? "double" : "foreign";
    }

    /** Commits a BadFree event when a recording wants it; call only once Flight Recorder is started. */
    private static void commitBadFree(long address, String kind, String allocator, IllegalArgumentException badFree) {
        BadFreeEvent event = new BadFreeEvent();
        if (!event.shouldCommit()) {
            return;
        }
        event.address = address;
        event.kind = kind;
        event.allocator = allocator;
        event.message = badFree.getMessage();
        event.commit();
    }

    /** The late bad-free handler wrapped so that each late duplicate is also a BadFree event. */
    private static Consumer<IllegalArgumentException> reportingLate(String allocator,
                                                                    Consumer<IllegalArgumentException> handler) {
        return badFree -> {
            if (FlightRecording.started()) {
                commitBadFree(0, "double", allocator, badFree);
            }
            handler.accept(badFree);
        };
    }

    /** Commits a HeapSummary event for this heap when a recording wants one (JFR's periodic hook). */
    void commitSummary() {
        HeapSummaryEvent event = new HeapSummaryEvent();
        if (closed || !event.shouldCommit()) {
            return;
        }
        HeapStats now;
        try {
            now = stats();
        } catch (IllegalStateException closing) {
            return;
        }
        event.heap = name;
        event.reservedBytes = now.reservedBytes();
        event.mappedBytes = now.mappedBytes();
        event.inUseBytes = now.inUseBytes();
        event.liveBytes = now.liveBytes();
        event.releasedBytes = now.releasedBytes();
        event.objects = now.objects();
        event.allocators = now.allocators().stream().map(a -> a.path() + "=" + a.usedBytes())
                .collect(Collectors.joining(","));
        event.commit();
    }

    static boolean isHeapFrame(String className) {
        if (className.startsWith("java.lang.foreign.")) {
            return true;
        }
        for (String heapClass : HEAP_FRAME_CLASSES) {
            if (className.startsWith(heapClass)
                    && (className.length() == heapClass.length() || className.charAt(heapClass.length()) == '$')) {
                return true;
            }
        }
        return false;
    }

    private long sampled(long address, long size, String allocator) {
        Sampler s = sampler;
        if (s != null) {
            s.onAllocation(address, size, allocator);
        }
        return address;
    }

    /** An aligned object for {@code allocator}, zeroed where it may hold old bytes when {@code zero}. */
    private long allocateAligned(long size, long alignment, String allocator, boolean zero) {
        if (softLimit != null) {
            softLimit.beforeAllocation(pages.inUseBytes(), size);
        }
        LongSupplier allocation = zero ? () -> objects.allocateZeroed(size, alignment)
                : () -> objects.allocateAligned(size, alignment);
        try {
            return allocation.getAsLong();
        } catch (OutOfMemoryError e) {
            return retryAfterReclaim(size, allocator, e, allocation);
        }
    }

    /**
     * After a failed allocation: with a soft limit, its callback runs once and the allocation is
     * retried once; a failure that remains is reported (AllocationFailure event) and thrown.
     */
    private long retryAfterReclaim(long size, String allocator, OutOfMemoryError failure, LongSupplier retry) {
        OutOfMemoryError last = failure;
        if (softLimit != null && softLimit.reclaim(size)) {
            try {
                return retry.getAsLong();
            } catch (OutOfMemoryError again) {
                last = again;
            }
        }
        if (FlightRecording.started()) {
            AllocationFailureEvent.record(size, allocator, last.getMessage());
        }
        throw outOfMemory(size, last);
    }

    @SuppressWarnings("restricted") // an object of this heap, bounded by its size and scope
    static MemorySegment segmentOf(long address, long byteSize, Arena scope) {
        return MemorySegment.ofAddress(address).reinterpret(byteSize, scope, null);
    }

    /** Writes zeros over heap memory the caller owns; the object layer decides when. */
    private static void clearMemory(long address, long bytes) {
        ALL_MEMORY.asSlice(address, bytes).fill((byte) 0);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the heap is closed");
        }
    }

    private void checkBacked() {
        if (!backed) {
            throw new UnsupportedOperationException(
                    "segments need memory, and the address space " + space.describe() + " has none behind it");
        }
    }

    /**
     * The checks of a size on the fast path: small sizes need none, since the object heap's own
     * path reports a closed heap, and a negative size is not small when compared unsigned.
     */
    private void checkLargeSize(long size) {
        if (Long.compareUnsigned(size, MAX_SMALL_SIZE) > 0) {
            checkOpen();
            checkSize(size);
        }
    }

    private void checkSize(long size) {
        if (size < 0 || size > addressLimit) {
            throw new IllegalArgumentException("size %d is negative or larger than the %d-bit address space"
                    .formatted(size, space.addressBits()));
        }
    }

    private void checkAlignment(long alignment) {
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0 || alignment > addressLimit) {
            throw new IllegalArgumentException("alignment %d is not a power of two within the address space"
                    .formatted(alignment));
        }
    }

    private static OutOfMemoryError outOfMemory(long size, OutOfMemoryError cause) {
        OutOfMemoryError error = new OutOfMemoryError("cannot allocate %d bytes: %s".formatted(size, cause.getMessage()));
        error.initCause(cause);
        return error;
    }

    /**
     * Settings of a new heap. Not thread-safe; use it from one thread, then {@link #build()}.
     */
    public static final class Builder {

        private AddressSpace addressSpace;
        private ArenaLayout layout = ArenaLayout.SPARSE;
        private long arenaBytes;
        private long memoryLimit = Long.MAX_VALUE;
        private boolean threadCaches = true;
        private boolean backgroundScavenger = true;
        private Consumer<IllegalArgumentException> onBadFree = BadFrees::logWarning;
        private Path traceFile;
        private String name = "";
        private long samplingInterval;
        private long samplingSeed = ThreadLocalRandom.current().nextLong();
        private SoftLimit softLimit;

        private Builder() {
        }

        /**
         * Names the heap: its name appears in profiles, leak reports and JFR events, and a named
         * heap registers the MBean {@code dev.sparseheap:type=SparseHeap,name=NAME} (and one per
         * child allocator), unregistered at close. Unnamed by default, and then no MBean.
         *
         * @param heapName the name, not empty
         * @return this builder
         * @throws IllegalArgumentException if {@code heapName} is empty; {@link #build()} throws it
         *                                  too while another open heap has the same name
         * @throws NullPointerException     if {@code heapName} is null
         */
        public Builder name(String heapName) {
            if (heapName.isEmpty()) {
                throw new IllegalArgumentException("a heap name must not be empty");
            }
            this.name = heapName;
            return this;
        }

        /**
         * Samples allocations on average once every {@code meanBytesBetweenSamples} bytes
         * allocated ({@link SparseHeap#PROFILING_SAMPLING_INTERVAL} is the interval for a running
         * program; off by default), recording the stack, size and
         * address of each sampled allocation for {@link SparseHeap#profile()}, leak reports and
         * the {@code dev.sparseheap.AllocationSample} JFR event. {@code 0} turns sampling off;
         * {@code 1} samples every allocation (a debug mode: every leak gets its site).
         *
         * @param meanBytesBetweenSamples mean bytes allocated between samples, 0 or more
         * @return this builder
         * @throws IllegalArgumentException if the interval is negative
         */
        public Builder sampling(long meanBytesBetweenSamples) {
            if (meanBytesBetweenSamples < 0) {
                throw new IllegalArgumentException("sampling interval " + meanBytesBetweenSamples + " is negative");
            }
            this.samplingInterval = meanBytesBetweenSamples;
            return this;
        }

        /**
         * Seeds the random intervals between samples (random by default), so that a program that
         * allocates the same way from one thread samples the same allocations on every run.
         *
         * @param seed any value; the same seed gives the same intervals
         * @return this builder
         */
        public Builder samplingSeed(long seed) {
            this.samplingSeed = seed;
            return this;
        }

        /**
         * A soft limit on the bytes of pages in use: an allocation that would pass it first calls
         * {@code reclaimer} with the bytes it would pass it by (it may free memory), then goes
         * ahead; an allocation that then fails against the hard limit ({@link #memoryLimit}) or
         * the OS calls it once more and is retried once before throwing
         * {@link OutOfMemoryError}. None by default. The callback runs on the allocating thread, at
         * most one call at a time; its own allocations go ahead without calling it again.
         *
         * @param bytes     the soft limit on the bytes of pages in use, positive
         * @param reclaimer called with the bytes wanted back; it may free memory of the heap
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is not positive
         * @throws NullPointerException     if {@code reclaimer} is null
         */
        public Builder softLimit(long bytes, LongConsumer reclaimer) {
            this.softLimit = new SoftLimit(bytes, reclaimer);
            return this;
        }

        /**
         * The address space to live in; the real OS ({@link LinuxAddressSpace}) by default.
         *
         * @param space the space; the heap reserves and frees its memory there
         * @return this builder
         * @throws NullPointerException when {@code space} is null
         */
        public Builder addressSpace(AddressSpace space) {
            this.addressSpace = Objects.requireNonNull(space);
            return this;
        }

        /**
         * How arenas are placed; {@link ArenaLayout#SPARSE} by default.
         *
         * @param arenaLayout the layout
         * @return this builder
         * @throws NullPointerException when {@code arenaLayout} is null
         */
        public Builder layout(ArenaLayout arenaLayout) {
            this.layout = Objects.requireNonNull(arenaLayout);
            return this;
        }

        /**
         * Size and alignment of each arena; by default 64 MiB on 48-bit spaces, 4 MiB on 32-bit.
         *
         * @param bytes a power of two; {@link #build()} checks it against the address space
         * @return this builder
         * @throws IllegalArgumentException when {@code bytes} is not a power of two
         */
        public Builder arenaSize(long bytes) {
            if (bytes <= 0 || (bytes & (bytes - 1)) != 0) {
                throw new IllegalArgumentException("arena size " + bytes + " is not a power of two");
            }
            this.arenaBytes = bytes;
            return this;
        }

        /**
         * Hard limit on the bytes of pages in use; none by default. Free pages are given back to the
         * OS before an allocation would pass it, and an allocation that would still pass it throws
         * {@link OutOfMemoryError}.
         *
         * @param bytes the limit, positive
         * @return this builder
         * @throws IllegalArgumentException when {@code bytes} is not positive
         */
        public Builder memoryLimit(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("memory limit " + bytes + " is not positive");
            }
            this.memoryLimit = bytes;
            return this;
        }

        /**
         * Whether threads allocate through thread caches (true by default) or through class locks.
         *
         * @param enabled true for thread caches
         * @return this builder
         */
        public Builder threadCaches(boolean enabled) {
            this.threadCaches = enabled;
            return this;
        }

        /**
         * Whether a background thread gives free pages back to the OS (true by default).
         *
         * @param enabled true for the background thread
         * @return this builder
         */
        public Builder backgroundScavenger(boolean enabled) {
            this.backgroundScavenger = enabled;
            return this;
        }

        /**
         * Who hears of a duplicate free found after the fact: when two threads race to free one
         * object and both calls return, the heap finds the duplicate later and passes it here
         * (it is counted in {@link HeapStats#badFrees()} either way). Called on the thread that
         * found it, outside the heap's locks; by default a warning through the
         * {@code dev.sparseheap} {@link System.Logger}.
         *
         * @param handler receives each late duplicate
         * @return this builder
         * @throws NullPointerException when {@code handler} is null
         */
        public Builder onBadFree(Consumer<IllegalArgumentException> handler) {
            this.onBadFree = Objects.requireNonNull(handler);
            return this;
        }

        /**
         * Records every allocation, resize and free of the heap to {@code file} in the
         * {@code sparseheap-trace 1} format (gzip-compressed when the name ends in {@code .gz}),
         * for {@code ./sparseheap replay} to run on every allocator. A background thread writes
         * it; the file is complete once the heap is closed. Calls from any number of threads are
         * recorded in an order consistent with what happened to each address. Off by default.
         *
         * @param file the trace file, created or replaced by {@link #build()}
         * @return this builder
         * @throws NullPointerException when {@code file} is null
         */
        public Builder recordTrace(Path file) {
            this.traceFile = Objects.requireNonNull(file);
            return this;
        }

        /**
         * Creates the heap.
         *
         * @return a new, empty heap
         * @throws IllegalArgumentException if the settings do not fit the address space
         * @throws java.io.UncheckedIOException if the trace file cannot be opened for writing
         * @throws IllegalStateException    when no address space was given and the real OS is not
         *                                  Linux on x86-64 or aarch64
         */
        public SparseHeap build() {
            TraceRecorder recorder = traceFile == null ? null : TraceRecorder.open(traceFile);
            try {
                return new SparseHeap(this, recorder);
            } catch (RuntimeException | Error e) {
                if (recorder != null) {
                    recorder.close();
                }
                throw e;
            }
        }
    }
}
