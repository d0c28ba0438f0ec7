package dev.sparseheap.arrow;

import dev.sparseheap.SparseHeap;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arrow's accounting, limits and leak error on close, run the same way on sparseheap's manager
 * and on Arrow's default (Unsafe) manager: every figure and every error must be the same, and the heap's
 * statistics must follow Arrow's figures.
 */
class ArrowAccountingTest {

    /** The two ways to make a root allocator compared here. */
    private enum Manager {
        /** Arrow's default manager: with only arrow-memory-unsafe on the class path, its Unsafe manager. */
        ARROW_DEFAULT,
        SPARSEHEAP;

        RootAllocator root(SparseHeap heap, long limit) {
            var config = RootAllocator.configBuilder().maxAllocation(limit);
            if (this == SPARSEHEAP) {
                config.allocationManagerFactory(SparseHeapAllocationManager.factory(heap));
            }
            return new RootAllocator(config.build());
        }
    }

    @Test
    void accountingIsTheSameAsWithArrowsUnsafeManager() {
        assertEquals(accountingScript(Manager.ARROW_DEFAULT), accountingScript(Manager.SPARSEHEAP));
    }

    @Test
    void childLimitsRefuseTheSameAllocationsWithoutTouchingTheHeap() {
        assertEquals(limitScript(Manager.ARROW_DEFAULT), limitScript(Manager.SPARSEHEAP));
    }

    @Test
    void closingWithAnOpenBufferFailsWithTheSameLeakError() {
        assertEquals(leakMessage(Manager.ARROW_DEFAULT), leakMessage(Manager.SPARSEHEAP));
    }

    /** Allocates, transfers and frees through a root and two children; returns every figure seen. */
    private static List<String> accountingScript(Manager manager) {
        var figures = new ArrayList<String>();
        try (SparseHeap heap = SparseHeap.create();
             RootAllocator root = manager.root(heap, Long.MAX_VALUE)) {
            BufferAllocator left = root.newChildAllocator("left", 0, Long.MAX_VALUE);
            BufferAllocator right = root.newChildAllocator("right", 0, Long.MAX_VALUE);
            var buffers = new ArrayList<ArrowBuf>();
            for (long size : new long[]{1, 7, 100, 4096, 40_000, 3 << 20, (20 << 20) + 5}) {
                buffers.add(left.buffer(size));
                figures.add(figures(root, left, right));
                checkHeap(manager, heap, root);
            }
            ArrowBuf moved = buffers.remove(3);
            ArrowBuf inRight = moved.getReferenceManager().transferOwnership(moved, right).getTransferredBuffer();
            moved.close();
            figures.add(figures(root, left, right));
            ArrowBuf shared = buffers.get(4).getReferenceManager().retain(buffers.get(4), right);
            figures.add(figures(root, left, right));
            buffers.forEach(ArrowBuf::close);
            figures.add(figures(root, left, right));
            checkHeap(manager, heap, root);
            shared.close();
            inRight.close();
            figures.add(figures(root, left, right));
            left.close();
            right.close();
            checkHeap(manager, heap, root);
            if (manager == Manager.SPARSEHEAP) {
                assertEquals(0, heap.stats().objects());
            }
        }
        return figures;
    }

    private static List<String> limitScript(Manager manager) {
        var outcomes = new ArrayList<String>();
        try (SparseHeap heap = SparseHeap.create();
             RootAllocator root = manager.root(heap, 8 << 20);
             BufferAllocator child = root.newChildAllocator("child", 0, 1 << 20);
             BufferAllocator grandchild = child.newChildAllocator("grandchild", 0, 512 << 10)) {
            ArrowBuf first = child.buffer(512 << 10);
            long heapAllocations = heap.stats().allocations();
            outcomes.add(refusal(() -> child.buffer(600 << 10)));
            outcomes.add(refusal(() -> grandchild.buffer(600 << 10)));
            outcomes.add(refusal(() -> root.buffer(16 << 20)));
            assertEquals(heapAllocations, heap.stats().allocations(), "a refused buffer never reaches the manager");
            ArrowBuf second = grandchild.buffer(256 << 10);
            outcomes.add(child.getAllocatedMemory() + " " + grandchild.getAllocatedMemory() + " " + root.getAllocatedMemory());
            checkHeap(manager, heap, root);
            second.close();
            first.close();
        }
        return outcomes;
    }

    private static String leakMessage(Manager manager) {
        try (SparseHeap heap = SparseHeap.create()) {
            RootAllocator root = manager.root(heap, Long.MAX_VALUE);
            BufferAllocator child = root.newChildAllocator("query", 0, Long.MAX_VALUE);
            ArrowBuf leaked = child.buffer(1000);
            leaked.setInt(0, 42);
            IllegalStateException error = assertThrows(IllegalStateException.class, child::close);
            if (manager == Manager.SPARSEHEAP) {
                assertEquals(1, heap.stats().objects(), "Arrow does not free a leaked buffer");
            }
            return error.getMessage().lines().findFirst().orElseThrow();
        }
    }

    private static String refusal(Runnable allocation) {
        OutOfMemoryException refused = assertThrows(OutOfMemoryException.class, allocation::run);
        return refused.getMessage().lines().findFirst().orElseThrow();
    }

    private static String figures(BufferAllocator root, BufferAllocator left, BufferAllocator right) {
        return root.getAllocatedMemory() + "/" + root.getPeakMemoryAllocation() + " left " + left.getAllocatedMemory()
                + " right " + right.getAllocatedMemory();
    }

    /** On sparseheap, the heap's live bytes cover Arrow's figure, with less than a heap page of rounding per buffer. */
    private static void checkHeap(Manager manager, SparseHeap heap,
                                  BufferAllocator root) {
        if (manager != Manager.SPARSEHEAP) {
            return;
        }
        var stats = heap.stats();
        assertTrue(stats.liveBytes() >= root.getAllocatedMemory(), stats.liveBytes() + " < " + root.getAllocatedMemory());
        assertTrue(stats.liveBytes() - root.getAllocatedMemory() <= stats.objects() * 8192L,
                stats.liveBytes() + " live bytes for " + root.getAllocatedMemory() + " accounted");
    }
}
