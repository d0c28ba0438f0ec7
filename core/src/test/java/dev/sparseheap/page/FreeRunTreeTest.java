package dev.sparseheap.page;

import dev.sparseheap.ArenaRange;
import dev.sparseheap.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FreeRunTreeTest {

    private static final long PAGE = PageHeap.PAGE_SIZE;
    private static final long ORIGIN = 0x00c0L << 32;

    @Test
    void touchingRangesMergeIntoOneRun() {
        FreeRunTree tree = new FreeRunTree();
        tree.addCoalescing(at(0), at(2));
        tree.addCoalescing(at(4), at(6));
        tree.addCoalescing(at(2), at(4));
        assertEquals(List.of(new ArenaRange(at(0), 6 * PAGE)), tree.runs());
        assertEquals(1, tree.count());
        assertEquals(6 * PAGE, tree.totalBytes());
        tree.verify(PAGE);
    }

    @Test
    void addingAPageThatIsAlreadyFreeIsRefused() {
        FreeRunTree tree = new FreeRunTree();
        tree.addCoalescing(at(0), at(4));
        assertThrows(IllegalStateException.class, () -> tree.addCoalescing(at(3), at(5)));
        assertThrows(IllegalStateException.class, () -> tree.addCoalescing(at(0), at(1)));
        assertEquals(List.of(new ArenaRange(at(0), 4 * PAGE)), tree.runs());
    }

    @Test
    void firstFitTakesTheLowestRunThatIsLongEnough() {
        FreeRunTree tree = new FreeRunTree();
        tree.addCoalescing(at(0), at(1));
        tree.addCoalescing(at(10), at(13));
        tree.addCoalescing(at(20), at(30));
        assertEquals(at(0), tree.firstFit(PAGE, PAGE));
        assertEquals(at(10), tree.firstFit(2 * PAGE, PAGE));
        assertEquals(at(20), tree.firstFit(4 * PAGE, PAGE));
        assertEquals(-1, tree.firstFit(11 * PAGE, PAGE));
    }

    @Test
    void firstFitSkipsRunsThatAlignmentMakesTooShort() {
        long alignment = 8 * PAGE;
        FreeRunTree tree = new FreeRunTree();
        long aligned = ORIGIN;
        tree.addCoalescing(aligned + PAGE, aligned + 9 * PAGE);
        tree.addCoalescing(aligned + 12 * PAGE, aligned + 20 * PAGE);
        tree.addCoalescing(aligned + 30 * PAGE, aligned + 42 * PAGE);
        assertEquals(aligned + 8 * PAGE, tree.firstFit(PAGE, alignment));
        assertEquals(aligned + 16 * PAGE, tree.firstFit(4 * PAGE, alignment));
        assertEquals(aligned + 32 * PAGE, tree.firstFit(8 * PAGE, alignment));
    }

    @Test
    void takingFromTheMiddleLeavesBothEnds() {
        FreeRunTree tree = new FreeRunTree();
        tree.addCoalescing(at(0), at(10));
        tree.take(at(3), 2 * PAGE);
        assertEquals(List.of(new ArenaRange(at(0), 3 * PAGE), new ArenaRange(at(5), 5 * PAGE)), tree.runs());
        assertTrue(tree.covers(at(5), at(10)));
        assertFalse(tree.covers(at(2), at(4)));
        assertThrows(IllegalStateException.class, () -> tree.take(at(2), 2 * PAGE));
    }

    static LongStream seeds() {
        return Seeds.stream(7, 8, 9, 20261130);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void agreesWithAFirstFitOverASortedMap(long seed) {
        Random random = new Random(seed);
        FreeRunTree tree = new FreeRunTree();
        TreeMap<Long, Long> model = new TreeMap<>();
        List<long[]> taken = new ArrayList<>();
        tree.addCoalescing(at(0), at(4096));
        model.put(at(0), at(4096));
        for (int step = 0; step < 3000; step++) {
            String where = Seeds.describe(seed) + " step " + step;
            if (taken.isEmpty() || random.nextInt(3) > 0) {
                long bytes = (1 + random.nextInt(random.nextBoolean() ? 4 : 64)) * PAGE;
                long alignment = PAGE << random.nextInt(5);
                long expected = modelFirstFit(model, bytes, alignment);
                assertEquals(expected, tree.firstFit(bytes, alignment), where);
                if (expected >= 0) {
                    tree.take(expected, bytes);
                    modelTake(model, expected, bytes);
                    taken.add(new long[] {expected, expected + bytes});
                }
            } else {
                long[] range = taken.remove(random.nextInt(taken.size()));
                tree.addCoalescing(range[0], range[1]);
                modelAdd(model, range[0], range[1]);
            }
            List<ArenaRange> expectedRuns = new ArrayList<>();
            model.forEach((base, end) -> expectedRuns.add(new ArenaRange(base, end - base)));
            assertEquals(expectedRuns, tree.runs(), where);
            assertEquals(expectedRuns.stream().mapToLong(ArenaRange::size).max().orElse(0), tree.largest(), where);
            tree.verify(PAGE);
        }
    }

    private static long modelFirstFit(TreeMap<Long, Long> runs, long bytes, long alignment) {
        for (Map.Entry<Long, Long> run : runs.entrySet()) {
            long start = (run.getKey() + alignment - 1) & -alignment;
            if (start + bytes <= run.getValue()) {
                return start;
            }
        }
        return -1;
    }

    private static void modelTake(TreeMap<Long, Long> runs, long start, long bytes) {
        Map.Entry<Long, Long> run = runs.floorEntry(start);
        runs.remove(run.getKey());
        if (run.getKey() < start) {
            runs.put(run.getKey(), start);
        }
        if (start + bytes < run.getValue()) {
            runs.put(start + bytes, run.getValue());
        }
    }

    private static void modelAdd(TreeMap<Long, Long> runs, long base, long end) {
        Map.Entry<Long, Long> below = runs.lowerEntry(base);
        if (below != null && below.getValue() == base) {
            runs.remove(below.getKey());
            base = below.getKey();
        }
        Long aboveEnd = runs.remove(end);
        runs.put(base, aboveEnd != null ? aboveEnd : end);
    }

    private static long at(long page) {
        return ORIGIN + page * PAGE;
    }
}
