package dev.sparseheap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link Arena} contract, checked the same way against the JDK's arenas and the heap's child
 * arenas, so that any difference from the JDK shows as a failing case of the heap's kind. Where
 * the rules of confined arenas differ from those of shared ones, the test says so and checks the
 * confined rule (against {@link Arena#ofConfined()} as well, so it is the JDK's rule).
 */
class ArenaContractTest {

    /** The arenas under test: each of the JDK's kinds next to the heap's arena of that kind. */
    enum Kind {
        JDK_SHARED(heap -> Arena.ofShared(), true, false),
        HEAP_SHARED(SparseHeap::newSharedArena, true, true),
        JDK_CONFINED(heap -> Arena.ofConfined(), false, false),
        HEAP_CONFINED(SparseHeap::newArena, false, true);

        final Function<SparseHeap, Arena> opener;
        final boolean shared;
        final boolean onHeap;

        Kind(Function<SparseHeap, Arena> opener, boolean shared, boolean onHeap) {
            this.opener = opener;
            this.shared = shared;
            this.onHeap = onHeap;
        }
    }

    private SparseHeap heap;

    @BeforeEach
    void openHeap() {
        heap = SparseHeap.builder().backgroundScavenger(false).build();
    }

    @AfterEach
    void closeHeap() {
        heap.close();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void segmentsAreZeroedAlignedSizedAndInTheArenasScope(Kind kind) {
        try (Arena arena = kind.opener.apply(heap)) {
            for (long size : new long[] {0, 1, 7, 100, 4096, 100_000, 1 << 20}) {
                for (long alignment : new long[] {1, 8, 16, 64, 4096}) {
                    MemorySegment segment = arena.allocate(size, alignment);
                    assertEquals(size, segment.byteSize());
                    assertEquals(0, segment.address() % alignment, () -> "alignment " + alignment);
                    assertTrue(segment.isNative());
                    assertFalse(segment.isReadOnly());
                    assertEquals(arena.scope(), segment.scope());
                    assertEquals(-1, segment.mismatch(MemorySegment.ofArray(new byte[(int) size])), "zeroed");
                    segment.fill((byte) 0x5a);
                }
            }
            assertTrue(arena.scope().isAlive());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void allocateFromCopiesValuesAndStrings(Kind kind) {
        try (Arena arena = kind.opener.apply(heap)) {
            assertEquals("sparseheap", arena.allocateFrom("sparseheap").getString(0));
            assertArrayEquals(new int[] {1, 2, 3},
                    arena.allocateFrom(ValueLayout.JAVA_INT, 1, 2, 3).toArray(ValueLayout.JAVA_INT));
            assertEquals(42L, arena.allocateFrom(ValueLayout.JAVA_LONG, 42L).get(ValueLayout.JAVA_LONG, 0));
            MemorySegment small = arena.allocate(4);
            assertThrows(IndexOutOfBoundsException.class,
                    () -> arena.allocateFrom(ValueLayout.JAVA_BYTE, small, ValueLayout.JAVA_BYTE, 0, 8));
            assertTrue(arena.scope().isAlive());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void badSizesAndAlignmentsAreRejectedAndTheArenaStaysUsable(Kind kind) {
        try (Arena arena = kind.opener.apply(heap)) {
            long objects = heap.stats().objects();
            assertThrows(IllegalArgumentException.class, () -> arena.allocate(-1));
            assertThrows(IllegalArgumentException.class, () -> arena.allocate(8, 3));
            assertThrows(IllegalArgumentException.class, () -> arena.allocate(8, 0));
            assertThrows(IllegalArgumentException.class, () -> arena.allocate(8, -8));
            assertEquals(objects, heap.stats().objects());
            assertEquals(8, arena.allocate(8).byteSize());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void closingMakesSegmentsInaccessibleOnceAndFreesThemToTheHeap(Kind kind) {
        long objects = heap.stats().objects();
        Arena arena = kind.opener.apply(heap);
        MemorySegment segment = arena.allocate(100);
        MemorySegment large = arena.allocate(1 << 20);
        segment.set(ValueLayout.JAVA_BYTE, 99, (byte) 1);
        arena.close();
        assertFalse(arena.scope().isAlive());
        assertFalse(segment.scope().isAlive());
        assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_BYTE, 99));
        assertThrows(IllegalStateException.class, () -> large.fill((byte) 1));
        assertThrows(IllegalStateException.class, () -> arena.allocate(8));
        assertThrows(IllegalStateException.class, arena::close);
        assertEquals(objects, heap.stats().objects());
        heap.verify();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anotherThreadAllocatesAndUsesSegmentsOnlyInASharedArena(Kind kind) throws Exception {
        try (Arena arena = kind.opener.apply(heap)) {
            MemorySegment mine = arena.allocate(64);
            AtomicReference<MemorySegment> theirs = new AtomicReference<>();
            Throwable allocating = inOtherThread(() -> theirs.set(arena.allocate(64)));
            Throwable reading = inOtherThread(() -> mine.set(ValueLayout.JAVA_LONG, 0, 7L));
            if (kind.shared) {
                assertNull(allocating);
                assertNull(reading);
                assertEquals(7L, mine.get(ValueLayout.JAVA_LONG, 0));
                theirs.get().set(ValueLayout.JAVA_LONG, 56, 9L);
                assertEquals(arena.scope(), theirs.get().scope());
            } else {
                // confined: the creating thread alone allocates and accesses
                assertInstanceOf(WrongThreadException.class, allocating);
                assertInstanceOf(WrongThreadException.class, reading);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anotherThreadClosesOnlyASharedArena(Kind kind) throws Exception {
        long objects = heap.stats().objects();
        Arena arena = kind.opener.apply(heap);
        MemorySegment segment = arena.allocate(64);
        Throwable closing = inOtherThread(arena::close);
        if (kind.shared) {
            assertNull(closing);
            assertFalse(arena.scope().isAlive());
            assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_BYTE, 0));
            assertThrows(IllegalStateException.class, arena::close);
        } else {
            // confined: the creating thread alone closes, and a refused close changes nothing
            assertInstanceOf(WrongThreadException.class, closing);
            assertTrue(arena.scope().isAlive());
            segment.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
            arena.close();
        }
        assertEquals(objects, heap.stats().objects());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void segmentsFromManyThreadsAreFreedTogetherAtClose(Kind kind) throws Exception {
        long seed = System.nanoTime();
        long objects = heap.stats().objects();
        Arena arena = kind.opener.apply(heap);
        ConcurrentLinkedQueue<MemorySegment> segments = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < 4; t++) {
            Random random = new Random(seed + t);
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 500; i++) {
                        MemorySegment segment = arena.allocate(1 + random.nextInt(i % 50 == 0 ? 100_000 : 300));
                        segment.fill((byte) segment.byteSize());
                        segments.add(segment);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (kind.shared) {
            assertTrue(failures.isEmpty(), () -> "seed " + seed + ": " + failures);
            assertEquals(2000, segments.size());
            for (MemorySegment segment : segments) {
                assertEquals((byte) segment.byteSize(), segment.get(ValueLayout.JAVA_BYTE, segment.byteSize() - 1),
                        () -> "seed " + seed);
            }
        } else {
            // confined: every allocation from another thread is refused before taking memory
            assertEquals(4, failures.size());
            failures.forEach(failure -> assertInstanceOf(WrongThreadException.class, failure));
            assertEquals(objects, heap.stats().objects());
        }
        assertNull(inOtherThread(() -> {
            if (kind.shared) {
                arena.close();
            }
        }));
        if (!kind.shared) {
            arena.close();
        }
        for (MemorySegment segment : segments) {
            assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_BYTE, 0));
        }
        assertEquals(objects, heap.stats().objects());
        heap.verify();
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"JDK_SHARED", "HEAP_SHARED"})
    void allocationsRacingWithCloseEitherSucceedOrFailAndLeaveNothingBehind(Kind kind) throws Exception {
        long objects = heap.stats().objects();
        Arena arena = kind.opener.apply(heap);
        CountDownLatch started = new CountDownLatch(3);
        ConcurrentLinkedQueue<MemorySegment> segments = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> endings = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                started.countDown();
                try {
                    while (true) {
                        segments.add(arena.allocate(48));
                    }
                } catch (Throwable e) {
                    endings.add(e);
                }
            }));
        }
        started.await();
        arena.close();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(3, endings.size());
        endings.forEach(ending -> assertInstanceOf(IllegalStateException.class, ending));
        for (MemorySegment segment : segments) {
            assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_BYTE, 0));
        }
        assertEquals(objects, heap.stats().objects());
        heap.verify();
    }

    @Test
    void closingTheHeapClosesSharedChildArenasOfAnyThread() throws Exception {
        AtomicReference<MemorySegment> theirs = new AtomicReference<>();
        assertNull(inOtherThread(() -> theirs.set(heap.newSharedArena().allocate(32))));
        heap.close();
        assertThrows(IllegalStateException.class, () -> theirs.get().get(ValueLayout.JAVA_BYTE, 0));
        heap = SparseHeap.builder().backgroundScavenger(false).build();
    }

    @Test
    void aSimulatedHeapHasNoSharedArenas() {
        try (SparseHeap simulated = SparseHeap.builder()
                .addressSpace(dev.sparseheap.os.SimulatedAddressSpace.builder().addressBits(48).build()).build()) {
            assertThrows(UnsupportedOperationException.class, simulated::newSharedArena);
        }
    }

    /** Runs {@code action} in a new thread and returns what it threw, or null. */
    private static Throwable inOtherThread(ThrowingAction action) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                action.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        thread.join();
        return failure.get();
    }

    @FunctionalInterface
    private interface ThrowingAction {
        void run() throws Exception;
    }
}
