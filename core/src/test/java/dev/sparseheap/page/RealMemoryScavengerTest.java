package dev.sparseheap.page;

import dev.sparseheap.ArenaLayout;
import dev.sparseheap.arena.ArenaSet;
import dev.sparseheap.os.LinuxAddressSpace;
import dev.sparseheap.os.ProcMaps;
import dev.sparseheap.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scavenger on the real address space: resident memory really goes back to the kernel. The
 * background test waits for the scavenger without a deadline and frees no more than one of its
 * batches releases; its {@code @Timeout} only catches a hang.
 */
class RealMemoryScavengerTest {

    private static final long MIB = 1L << 20;
    private static final long TOUCH_STRIDE = 4096;

    private static PageHeap realHeap(PageHeapConfig config) {
        return new PageHeap(ArenaSet.create(LinuxAddressSpace.create(), ArenaLayout.SPARSE, PageArena.FACTORY), config);
    }

    private static MemorySegment memoryOf(Span span) {
        return MemorySegment.ofAddress(span.base()).reinterpret(span.bytes());
    }

    private static void fill(Span span, byte value) {
        MemorySegment memory = memoryOf(span);
        for (long offset = 0; offset < span.bytes(); offset += TOUCH_STRIDE) {
            memory.set(ValueLayout.JAVA_BYTE, offset, value);
        }
    }

    private static long residentOf(Span span) {
        return ProcMaps.residentBytes(span.base(), span.end());
    }

    @Test
    void releasedPagesLeaveTheResidentSetAndReadAsZeroWhenReused() {
        try (PageHeap heap = realHeap(PageHeapConfig.defaults().withBackgroundScavenger(false))) {
            Span span = heap.allocate(32 * MIB / PageHeap.PAGE_SIZE, PageHeap.PAGE_SIZE, TestSpan::new);
            fill(span, (byte) 0x5a);
            long residentWhileUsed = residentOf(span);
            assertTrue(residentWhileUsed >= 32 * MIB, "resident while used: " + residentWhileUsed);

            heap.free(span);
            assertEquals(32 * MIB, heap.releaseFreeMemory());
            long residentAfterRelease = residentOf(span);
            assertTrue(residentWhileUsed - residentAfterRelease >= 31 * MIB,
                    "resident " + residentWhileUsed + " before release, " + residentAfterRelease + " after");

            Span reused = heap.allocate(32 * MIB / PageHeap.PAGE_SIZE, PageHeap.PAGE_SIZE, TestSpan::new);
            assertEquals(span.base(), reused.base());
            assertFalse(reused.needsZero());
            MemorySegment memory = memoryOf(reused);
            for (long offset = 0; offset < reused.bytes(); offset += TOUCH_STRIDE) {
                assertEquals(0, memory.get(ValueLayout.JAVA_BYTE, offset), "byte at offset " + offset);
            }
            heap.verify();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theBackgroundScavengerGivesMemoryBackWithoutBeingAsked() throws InterruptedException {
        try (PageHeap heap = realHeap(PageHeapConfig.defaults())) {
            Span kept = heap.allocate(1, PageHeap.PAGE_SIZE, TestSpan::new);
            Span span = heap.allocate(MIB / PageHeap.PAGE_SIZE, PageHeap.PAGE_SIZE, TestSpan::new);
            fill(span, (byte) 1);
            long residentWhileUsed = residentOf(span);
            assertTrue(residentWhileUsed >= MIB, "resident while used: " + residentWhileUsed);
            heap.free(span);
            Eventually.await(() -> heap.stats().dirtyFreeBytes() == 0);
            assertEquals(0, heap.stats().dirtyFreeBytes(), "the live heap is one page; all free memory goes back");
            assertTrue(residentOf(span) < MIB / 4, "resident " + residentOf(span));
            assertTrue(kept.isLive());
            heap.verify();
        }
    }
}
