/*
 * A named child allocator of a heap: the raw-address API with its own accounting, hard limit,
 * soft limit and leak report, in a tree (children may have children), as Arrow's child
 * allocators are.
 *
 * Ownership. Each allocator keeps the addresses of its own live objects in a table of its own
 * (LiveAddresses): a free or realloc through an allocator that does not hold the address is a
 * bad free (counted by the heap, reported as a dev.sparseheap.BadFree event of kind "wrong
 * allocator") and changes nothing. Objects live in the heap's size classes like any other; the
 * table is the only extra cost, and only users of child allocators pay it. The heap itself
 * refuses to free or resize an object some allocator holds.
 *
 * Accounting. used, objects and peak are of the whole subtree (an allocator and its
 * descendants), in usable bytes (what the objects take of the heap): every allocation charges
 * the allocator and each ancestor, each against its hard limit, after the heap has allocated
 * (the usable size is known only then); a refusal undoes the charges made and frees the object.
 * Before allocating, soft limits up the chain are checked (see SoftLimit); after a refusal, the
 * refusing allocator's soft-limit callback runs and the charge is retried once.
 *
 * Closing frees what is left in the subtree (children first) and, when anything was, throws
 * HeapLeakException naming the allocator, the objects and bytes, and the allocation sites of
 * the leaked objects that sampling recorded.
 */
package dev.sparseheap;

import dev.sparseheap.jfr.AllocationFailureEvent;
import dev.sparseheap.jfr.FlightRecording;
import dev.sparseheap.profile.Sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A named child allocator of a {@link SparseHeap} with its own accounting and limits; create
 * one with {@link SparseHeap#newAllocator(String, long)} or {@link #newAllocator(String, long)}.
 *
 * <p>Errors as the heap's: a bad address, size or alignment throws
 * {@link IllegalArgumentException} and changes nothing (an address this allocator does not hold
 * is one); allocation past this allocator's or an ancestor's limit throws
 * {@link OutOfMemoryError} naming it; any call after {@link #close()} throws
 * {@link IllegalStateException}.
 *
 * <p>Thread safety: every method may be called by any thread at any time, except
 * {@link #close()}, which must not race with other calls on this allocator or its descendants.
 */
public final class HeapAllocator implements AutoCloseable {

    private final SparseHeap heap;
    private final HeapAllocator parent;
    private final String name;
    private final String path;
    private final long limit;
    private final LiveAddresses live = new LiveAddresses();
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong objects = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private final Set<HeapAllocator> children = ConcurrentHashMap.newKeySet();
    private volatile SoftLimit softLimit;
    private volatile boolean closed;

    HeapAllocator(SparseHeap heap, HeapAllocator parent, String name, long limit) {
        this.heap = heap;
        this.parent = parent;
        this.name = name;
        this.path = parent == null ? name : parent.path + "/" + name;
        this.limit = limit;
    }

    /**
     * Opens a child of {@code parent} (null: of the heap itself) and adds it to {@code siblings},
     * the parent's set of open children, after checking its name and limit against them.
     */
    static HeapAllocator open(SparseHeap heap, HeapAllocator parent, Set<HeapAllocator> siblings, String name, long limit) {
        synchronized (siblings) {
            checkChild(name, limit, siblings);
            HeapAllocator child = new HeapAllocator(heap, parent, name, limit);
            siblings.add(child);
            heap.allocatorOpened(child);
            return child;
        }
    }

    /** Checks a child's name and limit before anything is created. */
    private static void checkChild(String name, long limit, Set<HeapAllocator> siblings) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("allocator name \"" + name + "\" is empty or holds a '/'");
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("limit " + limit + " of allocator " + name + " is not positive");
        }
        for (HeapAllocator sibling : siblings) {
            if (sibling.name.equals(name)) {
                throw new IllegalArgumentException("an open allocator named " + sibling.path + " exists already");
            }
        }
    }

    /**
     * Its name.
     *
     * @return the name it was created with, unique among its open siblings
     */
    public String name() {
        return name;
    }

    /**
     * Its path from the heap: the names of its ancestors and its own, joined by '/'.
     *
     * @return the path, as in leak reports, profiles and {@link HeapStats#allocators()}
     */
    public String path() {
        return path;
    }

    /**
     * Its parent, or null for a child of the heap itself.
     *
     * @return the parent allocator, or null
     */
    public HeapAllocator parent() {
        return parent;
    }

    /**
     * Its open children.
     *
     * @return an immutable snapshot of its open children, in no particular order
     */
    public List<HeapAllocator> children() {
        return List.copyOf(children);
    }

    /**
     * Usable bytes of the live objects of this allocator and its descendants.
     *
     * @return the bytes, as counted against {@link #limit()}; exact when no allocation or free
     *         of the subtree is in flight
     */
    public long used() {
        return used.get();
    }

    /**
     * The highest {@link #used()} so far.
     *
     * @return the peak of used bytes since this allocator was created
     */
    public long peak() {
        return peak.get();
    }

    /**
     * Live objects of this allocator and its descendants.
     *
     * @return the number of live objects
     */
    public long objects() {
        return objects.get();
    }

    /**
     * The hard limit on {@link #used()} ({@link Long#MAX_VALUE} when none).
     *
     * @return the limit in bytes, fixed at creation
     */
    public long limit() {
        return limit;
    }

    /**
     * The soft limit on {@link #used()} ({@link Long#MAX_VALUE} when none).
     *
     * @return the soft limit in bytes last set by {@link #softLimit(long, LongConsumer)}
     */
    public long softLimit() {
        SoftLimit soft = softLimit;
        return soft == null ? Long.MAX_VALUE : soft.bytes();
    }

    /**
     * Sets a soft limit on {@link #used()}: an allocation that would pass it first calls
     * {@code reclaimer} with the bytes it would pass it by (the callback may free memory of this
     * allocator or others), then goes ahead; an allocation refused by a hard limit calls it once
     * more and is retried once. Replaces any soft limit set before. The callback runs on the
     * allocating thread, at most one call at a time for this limit.
     *
     * @param bytes     the soft limit on used bytes, positive
     * @param reclaimer called with the bytes wanted back; it may free objects, and may allocate
     *                  (its own allocations do not call it again)
     * @throws IllegalArgumentException if {@code bytes} is not positive; nothing changes
     * @throws NullPointerException     if {@code reclaimer} is null; nothing changes
     */
    public void softLimit(long bytes, LongConsumer reclaimer) {
        this.softLimit = new SoftLimit(bytes, reclaimer);
    }

    /**
     * Whether it has been closed.
     *
     * @return true once {@link #close()} of this allocator, an ancestor or the heap has run
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * A child of this allocator without a limit of its own (its usage still counts towards
     * this allocator's limit); see {@link #newAllocator(String, long)}.
     *
     * @param childName its name: not empty, without '/', unique among this allocator's open
     *                  children
     * @return the new, open child
     * @throws IllegalArgumentException if the name is empty, holds '/', or is an open child's
     *                                  already; nothing is created
     * @throws NullPointerException     if {@code childName} is null
     * @throws IllegalStateException    after {@link #close()}
     */
    public HeapAllocator newAllocator(String childName) {
        return newAllocator(childName, Long.MAX_VALUE);
    }

    /**
     * A child of this allocator named {@code childName} with a hard limit on its used bytes; its
     * usage counts towards this allocator's as well.
     *
     * @param childName  its name: not empty, without '/', unique among this allocator's open
     *                   children
     * @param childLimit the most usable bytes its live objects (and its descendants') may take,
     *                   positive; {@link Long#MAX_VALUE} for none
     * @return the new, open child
     * @throws IllegalArgumentException if the name is empty, holds '/', or is an open child's
     *                                  already, or the limit is not positive; nothing is created
     * @throws NullPointerException     if {@code childName} is null
     * @throws IllegalStateException    after {@link #close()}
     */
    public HeapAllocator newAllocator(String childName, long childLimit) {
        checkOpen();
        return open(heap, this, children, childName, childLimit);
    }

    /**
     * As {@link SparseHeap#malloc(long)}, charged to this allocator and its ancestors.
     *
     * @param size bytes wanted, 0 or more
     * @return the address of the object, never 0
     * @throws IllegalArgumentException if {@code size} is negative or larger than the address space
     * @throws IllegalStateException    after {@link #close()} of this allocator, an ancestor or the
     *                                  heap
     * @throws OutOfMemoryError         if this allocator's or an ancestor's hard limit refuses the
     *                                  object (after that allocator's soft-limit callback and one
     *                                  retry), or the heap's memory limit or the OS refuses the
     *                                  memory; nothing stays charged or allocated
     */
    public long malloc(long size) {
        beforeAllocation(size);
        return adopt(heap.mallocAs(size, path), size);
    }

    /**
     * As {@link SparseHeap#calloc(long)}, charged to this allocator and its ancestors.
     *
     * @param size bytes wanted, 0 or more
     * @return the address of the object, never 0; its {@code size} bytes are zero
     * @throws IllegalArgumentException if {@code size} is negative or larger than the address space
     * @throws IllegalStateException    after {@link #close()} of this allocator, an ancestor or the
     *                                  heap
     * @throws OutOfMemoryError         if this allocator's or an ancestor's hard limit refuses the
     *                                  object (after that allocator's soft-limit callback and one
     *                                  retry), or the heap's memory limit or the OS refuses the
     *                                  memory; nothing stays charged or allocated
     */
    public long calloc(long size) {
        beforeAllocation(size);
        return adopt(heap.callocAs(size, path), size);
    }

    /**
     * As {@link SparseHeap#mallocAligned(long, long)}, charged to this allocator and its
     * ancestors.
     *
     * @param size      bytes wanted, 0 or more
     * @param alignment a power of two
     * @return the address of the object, a multiple of {@code alignment}
     * @throws IllegalArgumentException if {@code size} is negative or too large, or
     *                                  {@code alignment} is not a power of two or too large
     * @throws IllegalStateException    after {@link #close()} of this allocator, an ancestor or the
     *                                  heap
     * @throws OutOfMemoryError         if this allocator's or an ancestor's hard limit refuses the
     *                                  object (after that allocator's soft-limit callback and one
     *                                  retry), or the heap's memory limit or the OS refuses the
     *                                  memory; nothing stays charged or allocated
     */
    public long mallocAligned(long size, long alignment) {
        beforeAllocation(size);
        return adopt(heap.mallocAlignedAs(size, alignment, path), size);
    }

    /**
     * As {@link SparseHeap#realloc(long, long)} for an object of this allocator; a moved object
     * stays in this allocator. {@code realloc(0, size)} is {@code malloc(size)}.
     *
     * @param address an object of this allocator, or 0
     * @param size    bytes wanted, 0 or more
     * @return the object's address, possibly new; the old address is freed when it moved
     * @throws IllegalArgumentException if this allocator holds no live object at {@code address}
     *                                  (counted as a bad free), or {@code size} is negative or too
     *                                  large; nothing changes
     * @throws IllegalStateException    after {@link #close()}
     * @throws OutOfMemoryError         if the object must move and a limit or the heap refuses
     *                                  the new one; the old object stays as it was
     */
    public long realloc(long address, long size) {
        if (address == 0) {
            return malloc(size);
        }
        long usable = owned(address, true);
        if (heap.fitsInPlace(address, usable, size)) {
            return address;
        }
        long moved = malloc(size);
        heap.copyObject(address, moved, Math.min(usable, size));
        free(address);
        return moved;
    }

    /**
     * Frees an object of this allocator; {@code free(0)} does nothing.
     *
     * @param address an object of this allocator, or 0
     * @throws IllegalArgumentException if this allocator holds no live object at {@code address}
     *                                  (counted with the heap's bad frees); nothing is freed
     * @throws IllegalStateException    after {@link #close()}
     */
    public void free(long address) {
        checkOpen();
        if (address == 0) {
            return;
        }
        long usable = live.remove(address);
        if (usable < 0) {
            throw heap.wrongAllocator(address, path);
        }
        uncharge(usable);
        heap.freeOwned(address);
    }

    /**
     * Bytes usable at an object of this allocator.
     *
     * @param address an object of this allocator
     * @return its usable size in bytes, at least the size asked for; what it is charged
     * @throws IllegalArgumentException if this allocator holds no live object at {@code address}
     * @throws IllegalStateException    after {@link #close()}
     */
    public long usableSize(long address) {
        return owned(address, false);
    }

    /** Whether this allocator or a descendant holds a live object at {@code address}. */
    boolean holdsInSubtree(long address) {
        if (live.get(address) >= 0) {
            return true;
        }
        for (HeapAllocator child : children) {
            if (child.holdsInSubtree(address)) {
                return true;
            }
        }
        return false;
    }

    /** Adds the used bytes of this allocator and its open descendants to {@code into}, depth first. */
    void collectStats(List<HeapStats.AllocatorStats> into) {
        into.add(new HeapStats.AllocatorStats(path, used(), peak(), objects(), limit, softLimit()));
        for (HeapAllocator child : children) {
            child.collectStats(into);
        }
    }

    /**
     * Frees what is left in this allocator and its descendants and closes them; closing again
     * does nothing.
     *
     * @throws HeapLeakException when anything was left, after freeing it
     */
    @Override
    public void close() {
        HeapLeakException leak = release();
        if (leak != null) {
            throw leak;
        }
    }

    /** Closes the subtree; the leak report of what was left, or null when nothing was. */
    HeapLeakException release() {
        if (closed) {
            return null;
        }
        List<Sample> sampled = new ArrayList<>();
        long[] leaked = new long[2];
        releaseInto(sampled, leaked);
        if (parent != null) {
            parent.children.remove(this);
        }
        heap.allocatorClosed(this);
        return leaked[0] == 0 ? null
                : new HeapLeakException(path, leaked[0], leaked[1],
                        HeapProfile.of(path, heap.samplingInterval(), sampled));
    }

    private void releaseInto(List<Sample> sampled, long[] leaked) {
        for (HeapAllocator child : List.copyOf(children)) {
            child.releaseInto(sampled, leaked);
            children.remove(child);
            heap.allocatorClosed(child);
        }
        live.forEach((address, usable) -> {
            Sample sample = heap.sampleAt(address);
            if (sample != null) {
                sampled.add(sample);
            }
            leaked[0]++;
            leaked[1] += usable;
            live.remove(address);
            uncharge(usable);
            heap.freeOwned(address);
        });
        closed = true;
    }

    /** The usable bytes of this allocator's object at {@code address}; else a bad free when {@code freeing}. */
    private long owned(long address, boolean freeing) {
        checkOpen();
        long usable = live.get(address);
        if (usable < 0) {
            throw freeing ? heap.wrongAllocator(address, path)
                    : new IllegalArgumentException(String.format("0x%x is not a live object of allocator %s", address, path));
        }
        return usable;
    }

    private void beforeAllocation(long size) {
        checkOpen();
        for (HeapAllocator a = this; a != null; a = a.parent) {
            SoftLimit soft = a.softLimit;
            if (soft != null) {
                soft.beforeAllocation(a.used.get(), size);
            }
        }
    }

    /** Charges a new object of the heap to this allocator and its ancestors, or frees it and throws. */
    private long adopt(long address, long size) {
        long usable = heap.usableSize(address);
        HeapAllocator refused = charge(usable);
        if (refused != null && refused.softLimit != null && refused.softLimit.reclaim(usable)) {
            refused = charge(usable);
        }
        if (refused != null) {
            heap.freeOwned(address);
            String reason = "allocator %s limit %d reached (used %d)".formatted(refused.path, refused.limit, refused.used());
            if (FlightRecording.started()) {
                AllocationFailureEvent.record(size, path, reason);
            }
            throw new OutOfMemoryError("cannot allocate %d bytes: %s".formatted(size, reason));
        }
        live.put(address, usable);
        return address;
    }

    /** Charges every allocator from this one up; the one whose limit refused (charges undone), or null. */
    private HeapAllocator charge(long usable) {
        for (HeapAllocator a = this; a != null; a = a.parent) {
            if (!a.tryCharge(usable)) {
                for (HeapAllocator b = this; b != a; b = b.parent) {
                    b.used.addAndGet(-usable);
                    b.objects.decrementAndGet();
                }
                return a;
            }
        }
        return null;
    }

    private boolean tryCharge(long usable) {
        long now;
        do {
            now = used.get();
            if (usable > limit - now) {
                return false;
            }
        } while (!used.compareAndSet(now, now + usable));
        objects.incrementAndGet();
        peak.accumulateAndGet(now + usable, Math::max);
        return true;
    }

    private void uncharge(long usable) {
        for (HeapAllocator a = this; a != null; a = a.parent) {
            a.used.addAndGet(-usable);
            a.objects.decrementAndGet();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("allocator " + path + " is closed");
        }
    }

    @Override
    public String toString() {
        return "HeapAllocator[" + path + ", used " + used() + ", objects " + objects() + ", limit " + limit + "]";
    }
}
