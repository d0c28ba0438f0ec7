package dev.sparseheap.page;

import dev.sparseheap.ArenaLayout;
import dev.sparseheap.ArenaRange;
import dev.sparseheap.arena.ArenaSet;
import dev.sparseheap.os.SimulatedAddressSpace;
import dev.sparseheap.testing.Seeds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random allocate / free / release sequences checked step by step against a reference model:
 * the live spans as a sorted map of [base, end), the dirty pages as a set, and first fit
 * computed naively over the free runs the heap reports.
 */
class PageHeapModelTest {

    private static final long PAGE = PageHeap.PAGE_SIZE;
    private static final long ARENA = 4L << 20;
    private static final long[] ALIGNMENTS = {1, PAGE, 16 << 10, 64 << 10, 1 << 20, 4 << 20};

    static Stream<Arguments> runs() {
        List<Arguments> runs = new ArrayList<>();
        long[] seeds = Seeds.of(1, 2, 3, 42, 20261130);
        for (int i = 0; i < seeds.length; i++) {
            ArenaLayout layout = ArenaLayout.values()[i % 2];
            long physicalPage = i % 3 == 2 ? 64 << 10 : 4 << 10;
            runs.add(Arguments.of(seeds[i], layout, physicalPage));
        }
        return runs.stream();
    }

    @ParameterizedTest(name = "seed {0}, {1}, {2}-byte physical pages")
    @MethodSource("runs")
    void randomSequencesKeepEveryInvariant(long seed, ArenaLayout layout, long physicalPage) {
        SimulatedAddressSpace space = SimulatedAddressSpace.builder().addressBits(48).physicalPageSize(physicalPage).build();
        try (PageHeap heap = new PageHeap(ArenaSet.create(space, layout, ARENA, PageArena.FACTORY),
                PageHeapConfig.defaults().withBackgroundScavenger(false))) {
            Model model = new Model(Math.max(physicalPage, PAGE));
            Random random = new Random(seed);
            for (int step = 0; step < 400; step++) {
                try {
                    int choice = random.nextInt(100);
                    if (choice < 4) {
                        assertEquals(model.release(heap.freeRuns()), heap.releaseFreeMemory(), "bytes released");
                    } else if (choice < 55 || model.live.isEmpty()) {
                        allocateAndCheck(heap, model, random);
                    } else {
                        TestSpan victim = model.randomLive(random);
                        heap.free(victim);
                        model.free(victim);
                        assertNull(heap.spanOf(victim.base()));
                    }
                    checkAgainstModel(heap, model, space, random);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(Seeds.describe(seed) + " (" + layout + ", " + physicalPage
                            + "-byte physical pages) failed at step " + step + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private static void allocateAndCheck(PageHeap heap, Model model, Random random) {
        long pages = switch (random.nextInt(10)) {
            case 0 -> 500 + random.nextInt(800);
            case 1, 2 -> 1 + random.nextInt(100);
            default -> 1 + random.nextInt(8);
        };
        long alignment = ALIGNMENTS[random.nextInt(ALIGNMENTS.length)];
        List<ArenaRange> freeBefore = heap.freeRuns();
        long mappedBefore = heap.stats().mappedBytes();
        TestSpan span = heap.allocate(pages, alignment, TestSpan::new);
        long expected = firstFit(freeBefore, pages * PAGE, Math.max(alignment, PAGE));
        if (expected >= 0) {
            assertEquals(expected, span.base(), "first fit over " + freeBefore);
        } else {
            assertTrue(heap.stats().mappedBytes() > mappedBefore, "no run fitted, so the heap grew");
        }
        assertEquals(0, span.base() % Math.max(alignment, PAGE), "alignment");
        assertEquals(model.anyDirty(span.base(), span.end()), span.needsZero(), "needsZero of " + span);
        model.allocate(span);
    }

    private static void checkAgainstModel(PageHeap heap, Model model, SimulatedAddressSpace space, Random random) {
        heap.verify();
        PageHeapStats stats = heap.stats();
        assertEquals(model.inUseBytes, stats.inUseBytes(), "in use");
        assertEquals(model.live.size(), stats.spans(), "spans");
        assertEquals(stats.mappedBytes(), stats.inUseBytes() + stats.freeBytes(), "in use + free == mapped");
        assertEquals(space.releasedBytes(), stats.releasedBytes(), "released bytes agree with the address space");
        List<ArenaRange> runs = heap.freeRuns();
        assertEquals(stats.freeRuns(), runs.size());
        for (int i = 1; i < runs.size(); i++) {
            assertTrue(runs.get(i - 1).end() < runs.get(i).base(), "runs coalesced: " + runs.get(i - 1) + " " + runs.get(i));
        }
        TestSpan previous = null;
        for (TestSpan span : model.live.values()) {
            assertTrue(previous == null || previous.end() <= span.base(), "no overlap: " + previous + " " + span);
            assertSame(span, heap.spanOf(span.base()));
            assertSame(span, heap.spanOf(span.base() + (long) (random.nextDouble() * span.bytes())));
            assertSame(span, heap.spanOf(span.end() - 1));
            previous = span;
        }
        for (ArenaRange run : runs) {
            assertNull(heap.spanOf(run.base()));
            assertNull(heap.spanOf(run.end() - 1));
        }
    }

    private static long firstFit(List<ArenaRange> runs, long bytes, long alignment) {
        for (ArenaRange run : runs) {
            long start = (run.base() + alignment - 1) & -alignment;
            if (start + bytes <= run.end()) {
                return start;
            }
        }
        return -1;
    }

    /** Live spans, dirty free pages, and the release unit: what the heap should hold. */
    private static final class Model {
        final TreeMap<Long, TestSpan> live = new TreeMap<>();
        final Set<Long> dirtyPages = new HashSet<>();
        final long releaseUnit;
        long inUseBytes;

        Model(long releaseUnit) {
            this.releaseUnit = releaseUnit;
        }

        void allocate(TestSpan span) {
            Map.Entry<Long, TestSpan> below = live.floorEntry(span.base());
            assertTrue(below == null || below.getValue().end() <= span.base(), "overlaps " + below);
            Map.Entry<Long, TestSpan> above = live.ceilingEntry(span.base());
            assertTrue(above == null || above.getKey() >= span.end(), "overlaps " + above);
            live.put(span.base(), span);
            inUseBytes += span.bytes();
            for (long page = span.base(); page < span.end(); page += PAGE) {
                dirtyPages.remove(page);
            }
        }

        void free(TestSpan span) {
            live.remove(span.base());
            inUseBytes -= span.bytes();
            for (long page = span.base(); page < span.end(); page += PAGE) {
                dirtyPages.add(page);
            }
        }

        boolean anyDirty(long base, long end) {
            for (long page = base; page < end; page += PAGE) {
                if (dirtyPages.contains(page)) {
                    return true;
                }
            }
            return false;
        }

        /** Whole units inside free runs holding a dirty page are released; returns their bytes. */
        long release(List<ArenaRange> freeRuns) {
            long released = 0;
            for (ArenaRange run : freeRuns) {
                for (long unit = (run.base() + releaseUnit - 1) & -releaseUnit; unit + releaseUnit <= run.end(); unit += releaseUnit) {
                    if (anyDirty(unit, unit + releaseUnit)) {
                        released += releaseUnit;
                        for (long page = unit; page < unit + releaseUnit; page += PAGE) {
                            dirtyPages.remove(page);
                        }
                    }
                }
            }
            return released;
        }

        TestSpan randomLive(Random random) {
            long key = live.firstKey() + (long) (random.nextDouble() * (live.lastKey() - live.firstKey() + 1));
            return live.floorEntry(key).getValue();
        }
    }
}
