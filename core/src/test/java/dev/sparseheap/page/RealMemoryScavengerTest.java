package dev.sparseheap.page;

import dev.sparseheap.ArenaLayout;
import dev.sparseheap.arena.ArenaSet;
import dev.sparseheap.os.LinuxAddressSpace;
import dev.sparseheap.os.ProcMaps;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scavenger on the real address space: resident memory really goes back to the kernel. */
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
    void theBackgroundScavengerGivesMemoryBackWithoutBeingAsked() throws InterruptedException {
        try (PageHeap heap = realHeap(PageHeapConfig.defaults())) {
            Span kept = heap.allocate(1, PageHeap.PAGE_SIZE, TestSpan::new);
            Span span = heap.allocate(16 * MIB / PageHeap.PAGE_SIZE, PageHeap.PAGE_SIZE, TestSpan::new);
            fill(span, (byte) 1);
            heap.free(span);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (heap.stats().dirtyFreeBytes() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, heap.stats().dirtyFreeBytes(), "the live heap is one page; all free memory goes back");
            assertTrue(residentOf(span) < 2 * MIB, "resident " + residentOf(span));
            assertTrue(kept.isLive());
            heap.verify();
        }
    }
}
