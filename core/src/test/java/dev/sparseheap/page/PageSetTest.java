package dev.sparseheap.page;

import dev.sparseheap.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.BitSet;
import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageSetTest {

    private static final long PAGE = PageHeap.PAGE_SIZE;
    /** Far from zero and across many chunks, like a real heap address. */
    private static final long ORIGIN = 0x00c0L << 32;

    @Test
    void anEmptySetHasNothingAnywhere() {
        PageSet set = new PageSet();
        assertEquals(0, set.bytes());
        assertEquals(-1, set.nextIn(0, Long.MAX_VALUE));
        assertEquals(-1, set.previousBelow(Long.MAX_VALUE));
        assertEquals(ORIGIN, set.nextNotIn(ORIGIN, ORIGIN + PAGE));
    }

    @Test
    void addAndRemoveReportOnlyWhatChanged() {
        PageSet set = new PageSet();
        assertEquals(10 * PAGE, set.add(ORIGIN, ORIGIN + 10 * PAGE));
        assertEquals(5 * PAGE, set.add(ORIGIN + 5 * PAGE, ORIGIN + 15 * PAGE));
        assertEquals(15 * PAGE, set.bytes());
        assertEquals(3 * PAGE, set.remove(ORIGIN + 12 * PAGE, ORIGIN + 20 * PAGE));
        assertEquals(12 * PAGE, set.bytes());
        assertTrue(set.intersects(ORIGIN + 11 * PAGE, ORIGIN + 30 * PAGE));
        assertFalse(set.intersects(ORIGIN + 12 * PAGE, ORIGIN + 30 * PAGE));
    }

    static LongStream seeds() {
        return Seeds.stream(1, 2, 3, 20261130);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void agreesWithABitSetOnRandomRangeOperations(long seed) {
        Random random = new Random(seed);
        int span = 3 * 4096 + 77;
        BitSet model = new BitSet(span);
        PageSet set = new PageSet();
        for (int step = 0; step < 2000; step++) {
            int from = random.nextInt(span);
            int to = Math.min(span, from + 1 + random.nextInt(random.nextBoolean() ? 70 : 5000));
            String where = Seeds.describe(seed) + " step " + step + " [" + from + ", " + to + ")";
            if (random.nextBoolean()) {
                int before = model.cardinality();
                model.set(from, to);
                assertEquals((model.cardinality() - before) * PAGE, set.add(address(from), address(to)), where);
            } else {
                int before = model.cardinality();
                model.clear(from, to);
                assertEquals((before - model.cardinality()) * PAGE, set.remove(address(from), address(to)), where);
            }
            assertEquals(model.cardinality() * PAGE, set.bytes(), where);
            int probe = random.nextInt(span);
            int probeEnd = Math.min(span, probe + random.nextInt(9000));
            int next = model.nextSetBit(probe);
            assertEquals(next >= 0 && next < probeEnd ? address(next) : -1, set.nextIn(address(probe), address(probeEnd)), where);
            int clear = model.nextClearBit(probe);
            assertEquals(address(Math.min(clear, probeEnd)), set.nextNotIn(address(probe), address(probeEnd)), where);
            int previous = model.previousSetBit(probe - 1);
            assertEquals(previous >= 0 ? address(previous) : -1, set.previousBelow(address(probe)), where);
        }
    }

    private static long address(int page) {
        return ORIGIN + page * PAGE;
    }
}
