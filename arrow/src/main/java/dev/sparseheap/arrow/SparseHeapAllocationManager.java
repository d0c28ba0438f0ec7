/*
 * Apache Arrow's allocation manager over a SparseHeap, so that an Arrow program puts its vectors'
 * buffers in sparseheap by giving one factory to its RootAllocator.
 *
 * Design. Arrow separates accounting from memory: its allocators (root and children) keep the
 * ledgers, limits, reservations and leak checks, and an AllocationManager only owns one chunk of
 * memory: it is created with the size Arrow asks for (already rounded by Arrow's rounding policy),
 * reports that size back for accounting, and frees the chunk once, when Arrow's reference counts
 * say the last ledger let go. Here the chunk is one heap object, taken with malloc and given back
 * with free. Nothing else changes, so Arrow's accounting, limits and leak errors behave exactly
 * as with its own managers, and the heap adds what they lack: size classes and thread caches
 * instead of a call to the C allocator or a Netty arena per buffer, memory given back to the OS,
 * statistics, and a clear error for a bad free.
 *
 * Invariants: a manager holds exactly one live heap object from construction until release0(),
 * which Arrow calls once; getSize() is the size Arrow asked for, so the bytes Arrow accounts
 * (getAllocatedMemory) are at most the heap's live bytes, and equal to them when every size is a
 * power of two of at least 8 bytes (exact size classes), as Arrow's default rounding makes them
 * up to its 16 MiB chunk size. The empty buffer every RootAllocator asks its factory for is not
 * a heap object, so that a root allocator with no buffers leaves no object in the heap.
 */
package dev.sparseheap.arrow;

import dev.sparseheap.SparseHeap;
import org.apache.arrow.memory.AllocationManager;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ReferenceManager;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An Arrow {@link AllocationManager} whose memory is one object of a {@link SparseHeap}.
 *
 * <pre>{@code
 * SparseHeap heap = SparseHeap.create();
 * BufferAllocator root = new RootAllocator(RootAllocator.configBuilder()
 *         .allocationManagerFactory(SparseHeapAllocationManager.factory(heap)).build());
 * }</pre>
 *
 * <p>Contract: each manager allocates {@code size} bytes from the heap when Arrow creates it and
 * frees them when Arrow releases it; an allocation the heap cannot satisfy throws
 * {@link OutOfMemoryError} naming the size, and Arrow gives the reservation back. Accounting,
 * limits and leak detection are Arrow's. The heap must stay open as long as the allocators
 * using it: after it closes, allocation throws {@link IllegalStateException}, and buffers still
 * open must not be used (Arrow reads their addresses directly). A program needs
 * {@code arrow-memory-unsafe} or {@code arrow-memory-netty} on its class path as well, because
 * Arrow's RootAllocator resolves a default manager when it loads, even when given this factory.
 *
 * <p>Thread-safe: the heap is, and Arrow serializes the life cycle of each manager.
 */
public final class SparseHeapAllocationManager extends AllocationManager {

    /** Memory of the empty buffer: zero bytes at an address that is not 0, outside every heap. */
    private static final ByteBuffer EMPTY_MEMORY = ByteBuffer.allocateDirect(0);
    private static final ArrowBuf EMPTY = new ArrowBuf(ReferenceManager.NO_OP, null, 0,
            MemorySegment.ofBuffer(EMPTY_MEMORY).address());

    private final SparseHeap heap;
    private final long size;
    private final long address;

    private SparseHeapAllocationManager(BufferAllocator accountingAllocator, SparseHeap heap, long size) {
        super(accountingAllocator);
        this.heap = heap;
        this.size = size;
        this.address = heap.malloc(size);
    }

    /**
     * The factory to give to a {@link org.apache.arrow.memory.RootAllocator}'s configuration:
     * every buffer of that allocator and its children becomes an object of {@code heap}.
     *
     * @param heap the heap of the buffers; it must outlive the allocators using the factory
     * @return a factory creating one manager, and one heap object, per Arrow allocation
     * @throws NullPointerException if {@code heap} is null
     */
    public static AllocationManager.Factory factory(SparseHeap heap) {
        Objects.requireNonNull(heap, "heap");
        return new AllocationManager.Factory() {
            @Override
            public AllocationManager create(BufferAllocator accountingAllocator, long size) {
                return new SparseHeapAllocationManager(accountingAllocator, heap, size);
            }

            @Override
            public ArrowBuf empty() {
                return EMPTY;
            }

            @Override
            public String toString() {
                return "SparseHeapAllocationManager.factory(" + heap + ')';
            }
        };
    }

    /** The size Arrow asked for and accounts; the heap object may be larger (its size class). */
    @Override
    public long getSize() {
        return size;
    }

    @Override
    protected long memoryAddress() {
        return address;
    }

    @Override
    protected void release0() {
        heap.free(address);
    }
}
