/*
 * An Arena whose segments are objects of a SparseHeap, freed together when it closes.
 *
 * It follows the JDK's confined arenas: only the creating thread may allocate or close, and
 * its segments belong to a confined JDK arena of its own, so that they are accessible from the
 * creating thread only and become inaccessible when it closes (closing twice throws
 * IllegalStateException, as the JDK arena does). The addresses it handed out are kept in a
 * growing array and freed on close; nothing is written into heap memory.
 */
package dev.sparseheap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A child arena of a {@link SparseHeap}.
 *
 * <p>Thread safety: confined to the thread that created it; other threads get
 * {@link WrongThreadException}.
 */
final class ChildArena implements Arena, UninitializedAllocation {

    private final SparseHeap heap;
    private final Arena scope = Arena.ofConfined();
    private final Thread owner = Thread.currentThread();
    private long[] addresses = new long[16];
    private int count;

    ChildArena(SparseHeap heap) {
        this.heap = heap;
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        checkUsable();
        return remember(heap.allocateSegmentMemory(byteSize, byteAlignment, true), byteSize);
    }

    @Override
    public MemorySegment allocateUninitialized(long byteSize, long byteAlignment) {
        checkUsable();
        return remember(heap.allocateSegmentMemory(byteSize, byteAlignment, false), byteSize);
    }

    /** Frees the segment allocated last, which could not be filled. */
    @Override
    public void free(MemorySegment segment) {
        count--;
        heap.free(segment.address());
    }

    @Override
    public MemorySegment.Scope scope() {
        return scope.scope();
    }

    /**
     * Frees every segment of the arena; they become inaccessible.
     *
     * @throws IllegalStateException if the arena is already closed
     * @throws WrongThreadException  if called from another thread than the creator
     */
    @Override
    public void close() {
        scope.close();
        heap.childClosed(this);
        for (int i = 0; i < count; i++) {
            heap.free(addresses[i]);
        }
        count = 0;
    }

    boolean isOwnedByCurrentThread() {
        return Thread.currentThread() == owner;
    }

    Thread owner() {
        return owner;
    }

    /** Makes the segments inaccessible without freeing them: the heap is going away. */
    void closeScope() {
        scope.close();
    }

    /** Checks confinement and liveness before the heap takes any memory. */
    private void checkUsable() {
        if (!isOwnedByCurrentThread()) {
            throw new WrongThreadException("this arena is confined to " + owner);
        }
        if (!scope.scope().isAlive()) {
            throw new IllegalStateException("this arena is closed");
        }
    }

    private MemorySegment remember(long address, long byteSize) {
        if (count == addresses.length) {
            addresses = Arrays.copyOf(addresses, count * 2);
        }
        addresses[count++] = address;
        return SparseHeap.segmentOf(address, byteSize, scope);
    }
}
