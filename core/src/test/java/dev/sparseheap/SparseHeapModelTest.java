package dev.sparseheap;

import dev.sparseheap.testing.Seeds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random sequences of malloc, calloc, mallocAligned, realloc and free checked against a
 * model of the live objects (address to size): every object is where no other live object is,
 * usable sizes and alignments hold, contents survive realloc, calloc returns zeros, and
 * verify() passes after every step.
 */
class SparseHeapModelTest {

    private static final long[] SEEDS = Seeds.of(1, 0x5eed_2026L, 977);
    private static final int STEPS = 250;

    static Stream<Arguments> spacesAndLayouts() {
        List<Arguments> all = new ArrayList<>();
        for (TestHeaps heaps : TestHeaps.values()) {
            for (ArenaLayout layout : ArenaLayout.values()) {
                all.add(Arguments.of(heaps, layout));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("spacesAndLayouts")
    void randomOperationsAgreeWithAModelOfLiveObjects(TestHeaps heaps, ArenaLayout layout) {
        for (long seed : SEEDS) {
            try (SparseHeap heap = heaps.builder(layout).build()) {
                new Run(heap, heaps.touchesMemory(), new Random(seed), seed).execute();
            }
        }
    }

    /** One seeded sequence on one heap. */
    private static final class Run {
        private final SparseHeap heap;
        private final boolean touch;
        private final Random random;
        private final long seed;
        private final TreeMap<Long, Long> live = new TreeMap<>();
        private int step;

        Run(SparseHeap heap, boolean touch, Random random, long seed) {
            this.heap = heap;
            this.touch = touch;
            this.random = random;
            this.seed = seed;
        }

        void execute() {
            for (step = 0; step < STEPS; step++) {
                try {
                    oneStep();
                    heap.verify();
                } catch (RuntimeException | AssertionError e) {
                    throw new AssertionError(Seeds.describe(seed) + " step " + step + ": " + e, e);
                }
            }
            for (Map.Entry<Long, Long> object : List.copyOf(live.entrySet())) {
                checkPattern(object.getKey(), object.getValue());
                heap.free(object.getKey());
            }
            live.clear();
            HeapStats stats = heap.stats();
            assertEquals(0, stats.objects(), "seed " + seed);
            assertEquals(0, stats.liveBytes(), "seed " + seed);
            assertEquals(stats.allocations(), stats.frees(), "seed " + seed);
            heap.releaseMemory();
            assertEquals(0, heap.stats().inUseBytes(), "seed " + seed);
            heap.verify();
        }

        private void oneStep() {
            int choice = random.nextInt(100);
            if (live.isEmpty() || choice < 30) {
                long size = randomSize();
                added(heap.malloc(size), size);
            } else if (choice < 40) {
                long size = randomSize();
                long address = heap.calloc(size);
                if (touch) {
                    for (long i = 0; i < Math.min(size, 1 << 16); i++) {
                        assertEquals(0, TestHeaps.MEMORY.get(ValueLayout.JAVA_BYTE, address + i), "calloc byte " + i);
                    }
                }
                added(address, size);
            } else if (choice < 50) {
                long size = randomSize();
                long alignment = 1L << random.nextInt(18);
                long address = heap.mallocAligned(size, alignment);
                assertEquals(0, address % alignment, "alignment " + alignment);
                added(address, size);
            } else if (choice < 65) {
                long address = randomLive();
                long size = randomSize();
                long oldSize = live.remove(address);
                checkPattern(address, oldSize);
                long moved = heap.realloc(address, size);
                checkPattern(moved, Math.min(oldSize, size), address);
                added(moved, size);
            } else {
                long address = randomLive();
                checkPattern(address, live.remove(address));
                heap.free(address);
                assertEquals(0, heap.objectBase(address), "freed object still found");
            }
        }

        private long randomSize() {
            int bucket = random.nextInt(100);
            if (bucket < 70) {
                return random.nextInt(257);
            }
            if (bucket < 90) {
                return 257 + random.nextInt(32 * 1024 - 256);
            }
            if (bucket < 98) {
                return 32 * 1024 + 1 + random.nextInt(1 << 20);
            }
            return 1 + random.nextInt(64 << 20);
        }

        private long randomLive() {
            long probe = live.firstKey() + (long) (random.nextDouble() * (live.lastKey() - live.firstKey()));
            Long key = live.ceilingKey(probe);
            return key != null ? key : live.firstKey();
        }

        private void added(long address, long size) {
            assertTrue(address != 0, "null address");
            long usable = heap.usableSize(address);
            assertTrue(usable >= size, "usable " + usable + " < " + size);
            assertTrue(size < 16 || address % 16 == 0, "16-byte alignment of " + size + " bytes");
            Map.Entry<Long, Long> below = live.floorEntry(address);
            if (below != null) {
                assertTrue(below.getKey() + Math.max(1, heap.usableSize(below.getKey())) <= address,
                        "overlaps the object below");
            }
            Map.Entry<Long, Long> above = live.ceilingEntry(address);
            if (above != null) {
                assertTrue(address + Math.max(1, usable) <= above.getKey(), "overlaps the object above");
            }
            assertEquals(address, heap.objectBase(address + usable / 2));
            live.put(address, size);
            writePattern(address, size);
        }

        private void writePattern(long address, long size) {
            if (touch) {
                for (long i = 0; i < Math.min(size, 64); i++) {
                    TestHeaps.MEMORY.set(ValueLayout.JAVA_BYTE, address + i, patternByte(address, i));
                }
                if (size > 0) {
                    TestHeaps.MEMORY.set(ValueLayout.JAVA_BYTE, address + size - 1, patternByte(address, size - 1));
                }
            }
        }

        private void checkPattern(long address, long size) {
            checkPattern(address, size, address);
        }

        /** The pattern written for the object at {@code writtenAt} is now at {@code address}. */
        private void checkPattern(long address, long size, long writtenAt) {
            if (touch) {
                for (long i = 0; i < Math.min(size, 64); i++) {
                    assertEquals(patternByte(writtenAt, i), TestHeaps.MEMORY.get(ValueLayout.JAVA_BYTE, address + i),
                            "byte " + i + " of the object at 0x" + Long.toHexString(address));
                }
            }
        }

        private static byte patternByte(long address, long index) {
            return (byte) (address * 31 + index * 7 + 1);
        }
    }
}
