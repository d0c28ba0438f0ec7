package dev.sparseheap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The heap as a SegmentAllocator, and its child arenas. */
class SparseHeapSegmentTest {

    private SparseHeap heap;

    @BeforeEach
    void open() {
        heap = TestHeaps.REAL.builder(ArenaLayout.SPARSE).build();
    }

    @AfterEach
    void close() {
        heap.close();
    }

    private static void dirty(MemorySegment segment) {
        segment.fill((byte) 0x5a);
    }

    @Test
    void allocatedSegmentsAreZeroedAlignedAndSizedEvenWhenMemoryIsReused() {
        for (long size : new long[] {0, 1, 24, 4096, 40_000, 1 << 20}) {
            for (long alignment : new long[] {1, 8, 64, 4096, 65536}) {
                MemorySegment first = heap.allocate(size, alignment);
                dirty(first);
                heap.free(first);
                MemorySegment second = heap.allocate(size, alignment);
                assertEquals(size, second.byteSize());
                assertEquals(0, second.address() % alignment);
                for (long i = 0; i < size; i++) {
                    assertEquals(0, second.get(ValueLayout.JAVA_BYTE, i), size + "/" + alignment + " byte " + i);
                }
                heap.free(second);
            }
        }
        heap.verify();
        assertEquals(0, heap.stats().objects());
    }

    @Test
    void segmentsBecomeInaccessibleWhenTheHeapCloses() {
        MemorySegment segment = heap.allocate(64, 8);
        segment.set(ValueLayout.JAVA_LONG, 0, 7);
        heap.close();
        assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_LONG, 0));
    }

    @Test
    void allocateFromWritesTheValuesOverReusedMemory() {
        MemorySegment junk = heap.allocate(256, 8);
        dirty(junk);
        heap.free(junk);
        assertEquals(42, heap.allocateFrom(ValueLayout.JAVA_INT, 42).get(ValueLayout.JAVA_INT, 0));
        assertEquals(-3L, heap.allocateFrom(ValueLayout.JAVA_LONG, -3L).get(ValueLayout.JAVA_LONG, 0));
        assertEquals(2.5, heap.allocateFrom(ValueLayout.JAVA_DOUBLE, 2.5).get(ValueLayout.JAVA_DOUBLE, 0));
        assertEquals('x', heap.allocateFrom(ValueLayout.JAVA_CHAR, 'x').get(ValueLayout.JAVA_CHAR, 0));
        assertEquals((short) 9, heap.allocateFrom(ValueLayout.JAVA_SHORT, (short) 9).get(ValueLayout.JAVA_SHORT, 0));
        assertEquals(1.5f, heap.allocateFrom(ValueLayout.JAVA_FLOAT, 1.5f).get(ValueLayout.JAVA_FLOAT, 0));
        assertEquals((byte) 3, heap.allocateFrom(ValueLayout.JAVA_BYTE, (byte) 3).get(ValueLayout.JAVA_BYTE, 0));
        MemorySegment pointer = heap.allocateFrom(ValueLayout.ADDRESS, junk);
        assertEquals(junk.address(), pointer.get(ValueLayout.ADDRESS, 0).address());
        int[] values = {1, 2, 3, 4, 5};
        assertArrayEquals(values, heap.allocateFrom(ValueLayout.JAVA_INT, values).toArray(ValueLayout.JAVA_INT));
        MemorySegment text = heap.allocateFrom("héllo");
        assertEquals("héllo", text.getString(0));
        assertEquals(7, text.byteSize());
        MemorySegment wide = heap.allocateFrom("ab", StandardCharsets.UTF_16LE);
        assertEquals(6, wide.byteSize());
        assertEquals("ab", wide.getString(0, StandardCharsets.UTF_16LE));
        assertThrows(IllegalArgumentException.class, () -> heap.allocate(ValueLayout.JAVA_INT, -1));
    }

    @Test
    void aFailedCopyGivesTheMemoryBack() {
        long before = heap.stats().objects();
        MemorySegment small = MemorySegment.ofArray(new byte[4]);
        assertThrows(IndexOutOfBoundsException.class,
                () -> heap.allocateFrom(ValueLayout.JAVA_BYTE, small, ValueLayout.JAVA_BYTE, 0, 8));
        assertEquals(before, heap.stats().objects());
        heap.verify();
    }

    @Test
    void aChildArenaFreesItsSegmentsTogetherOnClose() {
        long before = heap.stats().objects();
        MemorySegment kept;
        try (Arena arena = heap.newArena()) {
            kept = arena.allocate(1 << 20);
            for (int i = 0; i < 100; i++) {
                assertEquals(0, arena.allocate(100 + i, 16).get(ValueLayout.JAVA_BYTE, 99));
            }
            arena.allocateFrom("child");
            assertEquals(before + 102, heap.stats().objects());
        }
        assertEquals(before, heap.stats().objects());
        assertThrows(IllegalStateException.class, () -> kept.get(ValueLayout.JAVA_BYTE, 0));
        heap.verify();
    }

    @Test
    void aChildArenaFollowsTheRulesOfConfinedArenas() throws Exception {
        Arena arena = heap.newArena();
        MemorySegment segment = arena.allocate(16);
        assertInstanceOf(WrongThreadException.class, failureInOtherThread(() -> arena.allocate(8)));
        assertInstanceOf(WrongThreadException.class, failureInOtherThread(arena::close));
        assertInstanceOf(WrongThreadException.class,
                failureInOtherThread(() -> segment.get(ValueLayout.JAVA_BYTE, 0)));
        long objects = heap.stats().objects();
        assertThrows(IllegalArgumentException.class, () -> arena.allocate(-1));
        assertThrows(IllegalArgumentException.class, () -> arena.allocate(8, 3));
        assertEquals(objects, heap.stats().objects());
        arena.close();
        assertThrows(IllegalStateException.class, arena::close);
        assertThrows(IllegalStateException.class, () -> arena.allocate(8));
        assertEquals(0, heap.stats().objects());
    }

    @Test
    void closingTheHeapClosesTheCallersChildArenasButNotAnotherThreads() throws Exception {
        Arena mine = heap.newArena();
        MemorySegment segment = mine.allocate(32);
        CountDownLatch opened = new CountDownLatch(1);
        CountDownLatch mayClose = new CountDownLatch(1);
        Thread other = Thread.ofPlatform().start(() -> {
            Arena theirs = heap.newArena();
            opened.countDown();
            try {
                mayClose.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            theirs.close();
        });
        opened.await();
        assertThrows(IllegalStateException.class, heap::close);
        segment.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
        heap.free(heap.malloc(10));
        mayClose.countDown();
        other.join();
        heap.close();
        assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_BYTE, 0));
        assertThrows(IllegalStateException.class, mine::close);
    }

    private static Throwable failureInOtherThread(Runnable action) throws InterruptedException {
        Throwable[] failure = new Throwable[1];
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                action.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        thread.join();
        return failure[0];
    }
}
