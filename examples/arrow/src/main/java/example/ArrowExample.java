package example;

import dev.sparseheap.SparseHeap;
import dev.sparseheap.arrow.SparseHeapAllocationManager;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;

/** An Arrow vector of a million numbers whose buffers live in sparseheap. */
public final class ArrowExample {

    public static void main(String[] args) {
        int rows = 1_000_000;
        try (SparseHeap heap = SparseHeap.create();
             BufferAllocator root = new RootAllocator(RootAllocator.configBuilder()
                     .allocationManagerFactory(SparseHeapAllocationManager.factory(heap)).build());
             BigIntVector numbers = new BigIntVector("numbers", root)) {
            numbers.allocateNew(rows);
            for (int i = 0; i < rows; i++) {
                numbers.set(i, i);
            }
            numbers.setValueCount(rows);
            long sum = 0;
            for (int i = 0; i < rows; i++) {
                sum += numbers.get(i);
            }
            System.out.println("sum: " + sum + ", Arrow allocated " + root.getAllocatedMemory()
                    + " bytes, sparseheap holds " + heap.stats().liveBytes() + " bytes in use");
            if (sum != (long) rows * (rows - 1) / 2) {
                throw new AssertionError("wrong sum " + sum);
            }
        }
    }
}
