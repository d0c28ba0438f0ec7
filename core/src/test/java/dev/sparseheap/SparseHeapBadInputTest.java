package dev.sparseheap;

import dev.sparseheap.testing.Race;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every public method with every kind of bad argument: the documented exception, and a heap that
 * verifies and reports exactly the statistics it had before, but for the count of rejected frees.
 */
class SparseHeapBadInputTest {

    private SparseHeap heap;
    private long small;
    private long large;
    private long freedSmall;
    private long freedLarge;

    @BeforeEach
    void liveAndFreedObjects() {
        heap = TestHeaps.REAL.builder(ArenaLayout.SPARSE).build();
        small = heap.malloc(100);
        large = heap.malloc(100_000);
        freedSmall = heap.malloc(100);
        freedLarge = heap.malloc(100_000);
        heap.free(freedSmall);
        heap.free(freedLarge);
    }

    @AfterEach
    void close() {
        heap.close();
    }

    /** The call throws and changes nothing but the count of bad frees (which a rejected free raises). */
    private void assertRejected(Class<? extends Throwable> expected, Executable call) {
        HeapStats before = heap.stats();
        assertThrows(expected, call);
        heap.verify();
        HeapStats after = heap.stats();
        assertTrue(after.badFrees() - before.badFrees() <= 1, "one rejected call counted more than one bad free");
        assertEquals(withoutBadFrees(before), withoutBadFrees(after), "a rejected call changed the heap");
    }

    private static List<Object> withoutBadFrees(HeapStats stats) {
        return Arrays.stream(HeapStats.class.getRecordComponents()).filter(c -> !c.getName().equals("badFrees"))
                .map(c -> {
                    try {
                        return c.getAccessor().invoke(stats);
                    } catch (ReflectiveOperationException e) {
                        throw new AssertionError(e);
                    }
                }).toList();
    }

    /** Addresses that are not the start of a live object of this heap. */
    private List<Long> badAddresses() {
        long foreign = Arena.global().allocate(64).address();
        return List.of(foreign, 12345L, -8L, Long.MIN_VALUE, 1L << 62, small + 16, small + 1, large + 8192,
                large + 8, freedSmall, freedLarge);
    }

    @Test
    void badSizesAreRejected() {
        for (long size : new long[] {-1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 49}) {
            assertRejected(IllegalArgumentException.class, () -> heap.malloc(size));
            assertRejected(IllegalArgumentException.class, () -> heap.calloc(size));
            assertRejected(IllegalArgumentException.class, () -> heap.mallocAligned(size, 16));
            assertRejected(IllegalArgumentException.class, () -> heap.realloc(small, size));
            assertRejected(IllegalArgumentException.class, () -> heap.realloc(0, size));
            assertRejected(IllegalArgumentException.class, () -> heap.allocate(size, 8));
        }
    }

    @Test
    void alignmentsThatAreNotPowersOfTwoAreRejected() {
        for (long alignment : new long[] {0, -8, 3, 24, 4097, Long.MIN_VALUE, 1L << 62}) {
            assertRejected(IllegalArgumentException.class, () -> heap.mallocAligned(64, alignment));
            assertRejected(IllegalArgumentException.class, () -> heap.allocate(64, alignment));
        }
    }

    @Test
    void foreignInteriorAndFreedAddressesAreRejected() {
        for (long address : badAddresses()) {
            String what = "0x" + Long.toHexString(address);
            assertRejected(IllegalArgumentException.class, () -> heap.free(address));
            assertRejected(IllegalArgumentException.class, () -> heap.realloc(address, 10));
            assertRejected(IllegalArgumentException.class, () -> heap.usableSize(address));
            assertRejected(IllegalArgumentException.class,
                    () -> heap.free(MemorySegment.ofAddress(address)));
            if (address != small + 16 && address != small + 1 && address != large + 8192 && address != large + 8) {
                assertEquals(0, heap.objectBase(address), what);
            }
        }
        assertEquals(small, heap.objectBase(small + 1));
        assertEquals(large, heap.objectBase(large + 8192));
    }

    @Test
    void everyCallAfterCloseIsAnIllegalState() {
        MemorySegment segment = heap.allocate(32, 8);
        heap.close();
        List<Executable> calls = List.of(
                () -> heap.malloc(1), () -> heap.calloc(1), () -> heap.mallocAligned(1, 8),
                () -> heap.realloc(small, 5), () -> heap.free(small), () -> heap.free(0),
                () -> heap.usableSize(small), () -> heap.objectBase(small), () -> heap.allocate(8, 8),
                () -> heap.free(segment), () -> heap.newArena(), () -> heap.stats(), () -> heap.layout(),
                () -> heap.releaseMemory(), () -> heap.verify(),
                () -> segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
        for (Executable call : calls) {
            assertThrows(IllegalStateException.class, call);
        }
        heap.close();
    }

    @Test
    void ofTwoThreadsFreeingTheSameObjectAtOnceExactlyOneWins() throws Exception {
        for (long size : new long[] {24, 3000, 70_000}) {
            for (int round = 0; round < 50; round++) {
                long address = heap.malloc(size);
                HeapStats before = heap.stats();
                Race.Outcome outcome = Race.twice(() -> heap.free(address), Race.Second.NEW_THREAD);
                assertEquals(1, outcome.accepted(), size + " bytes, round " + round);
                assertEquals(1, outcome.rejected(), size + " bytes, round " + round);
                heap.verify();
                assertEquals(before.frees() + 1, heap.stats().frees());
            }
        }
    }

    @Test
    void whenTheOwnerRacesAnotherThreadToFreeAnObjectTheDuplicateIsFoundExactlyOnce() throws Exception {
        List<IllegalArgumentException> late = new CopyOnWriteArrayList<>();
        try (SparseHeap owned = TestHeaps.REAL.builder(ArenaLayout.SPARSE).onBadFree(late::add).build()) {
            int rounds = 200;
            int thrown = 0;
            for (long size : new long[] {24, 3000}) {
                for (int round = 0; round < rounds; round++) {
                    long address = owned.malloc(size);
                    Race.Outcome outcome = Race.twice(() -> owned.free(address), Race.Second.CALLING_THREAD);
                    assertEquals(2, outcome.accepted() + outcome.rejected(), size + " bytes, round " + round);
                    thrown += outcome.rejected();
                    if (round % 50 == 49) {
                        owned.verify();
                        assertEquals(thrown + late.size(), owned.stats().badFrees(),
                                "every duplicate so far counted at each verify, " + size + " bytes, round " + round);
                    }
                }
            }
            owned.verify();
            HeapStats stats = owned.stats();
            assertEquals(2 * rounds, thrown + late.size(), "one duplicate per racing pair, thrown or found late");
            assertEquals(2 * rounds, stats.badFrees());
            assertEquals(0, stats.objects(), "every object freed exactly once");
            assertEquals(stats.allocations(), stats.frees());
        }
    }

    @Test
    void exhaustedMemoryLimitIsAnOutOfMemoryErrorNamingTheSizeAndTheHeapStaysUsable() {
        try (SparseHeap limited = TestHeaps.REAL.builder(ArenaLayout.SPARSE).memoryLimit(8 << 20).build()) {
            long kept = limited.malloc(1 << 20);
            HeapStats before = limited.stats();
            OutOfMemoryError error = assertThrows(OutOfMemoryError.class, () -> limited.malloc(16 << 20));
            assertTrue(error.getMessage().contains(Long.toString(16 << 20)), error.getMessage());
            assertTrue(error.getMessage().contains("limit"), error.getMessage());
            assertThrows(OutOfMemoryError.class, () -> limited.calloc(9 << 20));
            assertThrows(OutOfMemoryError.class, () -> limited.realloc(kept, 12 << 20));
            assertEquals(1 << 20, limited.usableSize(kept));
            limited.verify();
            assertEquals(before, limited.stats());
            long more = limited.malloc(4 << 20);
            limited.free(more);
            limited.free(kept);
            limited.verify();
        }
    }

    @Test
    void addressSpaceExhaustionIsAnOutOfMemoryError() {
        HeapStats before = heap.stats();
        OutOfMemoryError error = assertThrows(OutOfMemoryError.class, () -> heap.malloc(1L << 47));
        assertTrue(error.getMessage().contains(Long.toString(1L << 47)), error.getMessage());
        heap.verify();
        assertEquals(before.objects(), heap.stats().objects());
        heap.free(heap.malloc(10));
    }

    @Test
    void segmentApiOverASimulatedSpaceIsUnsupported() {
        try (SparseHeap simulated = TestHeaps.SIMULATED_48_BIT.builder(ArenaLayout.SPARSE).build()) {
            assertThrows(UnsupportedOperationException.class, () -> simulated.allocate(8, 8));
            assertThrows(UnsupportedOperationException.class, () -> simulated.allocateFrom("text"));
            assertThrows(UnsupportedOperationException.class, simulated::newArena);
            simulated.verify();
            assertEquals(0, simulated.stats().allocations());
        }
    }
}
