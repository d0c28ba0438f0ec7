package example;

import dev.sparseheap.SparseHeap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.stream.IntStream;

/** sparseheap on its own: raw addresses, a shared arena filled by several threads, statistics. */
public final class CoreExample {

    public static void main(String[] args) {
        try (SparseHeap heap = SparseHeap.create()) {
            long p = heap.malloc(100);
            p = heap.realloc(p, 10_000);
            heap.free(p);
            try (Arena arena = heap.newSharedArena()) {
                long sum = IntStream.range(0, 8).parallel().mapToLong(i -> {
                    MemorySegment numbers = arena.allocate(ValueLayout.JAVA_LONG, 1000);
                    for (int j = 0; j < 1000; j++) {
                        numbers.setAtIndex(ValueLayout.JAVA_LONG, j, j);
                    }
                    return numbers.elements(ValueLayout.JAVA_LONG).mapToLong(s -> s.get(ValueLayout.JAVA_LONG, 0)).sum();
                }).sum();
                System.out.println("sum from a shared arena: " + sum);
                if (sum != 8 * 499_500L) {
                    throw new AssertionError("wrong sum " + sum);
                }
            }
            System.out.println("live objects after the arena closed: " + heap.stats().objects());
            System.out.println(heap.stats());
        }
    }
}
