/*
 * The torture run's checks can fail: an overwritten stamp, two overlapping objects, a bad free
 * that the heap accepts and a badFrees count that disagrees with the run are each recorded as a
 * violation, and the run's report then fails.
 */
package dev.sparseheap.bench.torture;

import dev.sparseheap.SparseHeap;
import dev.sparseheap.bench.NativeMemory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each check of the torture run detects what it is there to detect. */
class TortureChecksTest {

    @Test
    void aStampSurvivesUntilOneByteOfItChanges() {
        try (SparseHeap heap = SparseHeap.create()) {
            var tally = new Tally();
            for (long size : new long[] {0, 1, 100, 128, 129, 5000}) {
                Tracked object = Operations.malloc(heap, size, size + 1, tally);
                assertTrue(Operations.intact(object, "fresh", tally));
                if (size > 0) {
                    long last = object.address() + size - 1;
                    NativeMemory.putByte(last, (byte) ~NativeMemory.getByte(last));
                    assertFalse(Operations.intact(object, "after a stray write", tally), "size " + size);
                }
                heap.free(object.address());
            }
            assertEquals(5, tally.violationCount());
            assertTrue(tally.violations().getFirst().contains("byte 0 was overwritten"), tally.violations().getFirst());
        }
    }

    @Test
    void overlappingRecordsAndAnAcceptedBadFreeAreViolations() {
        try (SparseHeap heap = SparseHeap.create()) {
            var tally = new Tally();
            long base = heap.malloc(256);
            Stamps.stamp(base, 256, 7);
            List<Tracked> records = new ArrayList<>(List.of(new Tracked(base, 256, 7), new Tracked(base + 128, 64, 7)));
            Checkpoint.checkLiveSet(heap, records, tally);
            assertTrue(tally.violations().stream().anyMatch(v -> v.contains("overlap")), tally.violations().toString());

            var accepted = new Tally();
            Operations.rejectedFree(heap, base, "a live object", accepted);
            assertEquals(1, accepted.violationCount());
            assertTrue(accepted.violations().getFirst().contains("was accepted"));
        }
    }

    @Test
    void badFreesTheRunDidNotMakeBreakTheAccounting() {
        try (SparseHeap heap = SparseHeap.create()) {
            var tally = new Tally();
            Operations.rejectedFree(heap, 1L << 50, "a non-canonical address", tally);
            Checkpoint.checkAccounting(heap, tally, () -> 0);
            assertEquals(0, tally.violationCount(), tally.violations().toString());

            tally.badFreesThrown.add(1);
            Checkpoint.checkAccounting(heap, tally, () -> 0);
            assertEquals(1, tally.violationCount());
            assertTrue(tally.violations().getFirst().contains("badFrees() is 1"), tally.violations().getFirst());
        }
    }
}
