/*
 * An Arena whose segments are objects of a SparseHeap, freed together when it closes: one class
 * for both of the JDK's kinds, confined and shared.
 *
 * The JDK arena behind it (Arena.ofConfined() or Arena.ofShared()) is the segments' scope, so
 * the JDK itself enforces access: from the owner thread only for a confined one, from any thread
 * for a shared one, and from nowhere once it is closed (an exception, never a crash, even while
 * another thread is reading). Closing therefore starts with closing that scope: if the JDK
 * refuses (closed already, wrong thread, a segment held by a native call), nothing has changed.
 *
 * The addresses handed out are kept in a lock-free stack of nodes on the Java heap (nothing is
 * written into heap memory). Close swaps the stack for a CLOSED marker and frees what it took.
 * An allocation that races with close pushes its address before creating its segment: either
 * its push came first and close frees the address, or it finds the marker and frees the address
 * itself; creating the segment over a closed scope then throws IllegalStateException, as the
 * JDK's shared arenas do. So every address is freed exactly once and none is lost.
 */
package dev.sparseheap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A child arena of a {@link SparseHeap}, confined or shared.
 *
 * <p>Thread safety: a confined arena may be used and closed by the thread that created it only
 * (others get {@link WrongThreadException}); a shared arena may be used and closed by any thread,
 * closed once.
 */
final class ChildArena implements Arena, UninitializedAllocation {

    /** One address the arena handed out, and those handed out before it. */
    private record Allocated(long address, Allocated earlier) {
    }

    /** Stands for the stack once the arena has closed; no address is pushed past it. */
    private static final Allocated CLOSED = new Allocated(0, null);

    private static final VarHandle LATEST;

    static {
        try {
            LATEST = MethodHandles.lookup().findVarHandle(ChildArena.class, "latest", Allocated.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SparseHeap heap;
    private final Arena scope;
    /** The thread a confined arena belongs to; null for a shared one. */
    private final Thread owner;
    /** The latest address handed out (a stack through {@link Allocated#earlier}), or CLOSED. */
    @SuppressWarnings("unused") // reached through LATEST
    private volatile Allocated latest;

    private ChildArena(SparseHeap heap, Arena scope, Thread owner) {
        this.heap = heap;
        this.scope = scope;
        this.owner = owner;
    }

    /** A child arena confined to the calling thread, like {@link Arena#ofConfined()}. */
    static ChildArena confined(SparseHeap heap) {
        return new ChildArena(heap, Arena.ofConfined(), Thread.currentThread());
    }

    /** A child arena any thread may use and close, like {@link Arena#ofShared()}. */
    static ChildArena shared(SparseHeap heap) {
        return new ChildArena(heap, Arena.ofShared(), null);
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

    /**
     * Keeps the segment that could not be filled with the arena until it closes, as the JDK's
     * arenas keep theirs: another thread may have allocated after it, so it cannot be taken back
     * from the stack alone.
     */
    @Override
    public void free(MemorySegment segment) {
        // the arena frees it on close
    }

    @Override
    public MemorySegment.Scope scope() {
        return scope.scope();
    }

    /**
     * Frees every segment of the arena; they become inaccessible.
     *
     * @throws IllegalStateException if the arena is already closed, or a segment of a shared
     *                               arena is held by a native call; nothing changes then
     * @throws WrongThreadException  if a confined arena is closed from another thread than its
     *                               owner; nothing changes then
     */
    @Override
    public void close() {
        scope.close();
        heap.childClosed(this);
        for (Allocated node = (Allocated) LATEST.getAndSet(this, CLOSED); node != null; node = node.earlier()) {
            heap.free(node.address());
        }
    }

    /** Whether the calling thread may close the arena: any may close a shared one. */
    boolean isClosableByCurrentThread() {
        return owner == null || Thread.currentThread() == owner;
    }

    /** The thread that owns a confined arena, for messages. */
    Thread owner() {
        return owner;
    }

    /** Makes the segments inaccessible without freeing them: the heap is going away. */
    void closeScope() {
        scope.close();
    }

    /** Checks confinement and liveness before the heap takes any memory. */
    private void checkUsable() {
        if (!isClosableByCurrentThread()) {
            throw new WrongThreadException("this arena is confined to " + owner);
        }
        if (!scope.scope().isAlive()) {
            throw new IllegalStateException("this arena is closed");
        }
    }

    private MemorySegment remember(long address, long byteSize) {
        Allocated top;
        do {
            top = latest;
            if (top == CLOSED) {
                heap.free(address);
                throw new IllegalStateException("this arena is closed");
            }
        } while (!LATEST.compareAndSet(this, top, new Allocated(address, top)));
        return SparseHeap.segmentOf(address, byteSize, scope);
    }
}
