package dev.sparseheap.alloc;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A span given up by its owner, and the frees that bring it back to its central list; no page
 * heap is involved (no span here ever empties).
 */
class CentralListTest {

    private static final long BASE = 0x10_0000_0000L;
    private static final int[] OBJECT_SIZES = {8, 48, 1000, 4096, 30_000};

    private static CentralList centralOf(int objectSize) {
        return new CentralList(SizeClasses.classOf(objectSize), null);
    }

    /** A span whose owner handed out every object, and the objects' addresses. */
    private record Filled(SmallSpan span, long[] addresses) {
    }

    private static Filled filledSpan(CentralList central) {
        SmallSpan span = central.create(BASE, SizeClasses.spanPages(central.sizeClass()), false);
        long[] addresses = new long[span.objects()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = span.allocate() & ~SmallSpan.DIRTY;
        }
        return new Filled(span, addresses);
    }

    @Test
    void theReuseThresholdIsAQuarterOfTheObjectsAndAtLeastOne() {
        for (int size : OBJECT_SIZES) {
            SmallSpan span = filledSpan(centralOf(size)).span();
            assertEquals(Math.max(1, span.objects() / 4), span.reuseThreshold(), "size " + size);
        }
    }

    @Test
    void aSpanGivenUpFullComesBackOnlyWhenTheFreeThatReachesTheThresholdArrives() {
        for (int size : OBJECT_SIZES) {
            CentralList central = centralOf(size);
            Filled filled = filledSpan(central);
            SmallSpan span = filled.span();
            long[] addresses = filled.addresses();
            central.uncache(span);
            assertEquals(SmallSpan.FULL, span.state(), "size " + size);
            for (int i = 0; i < span.reuseThreshold() - 1; i++) {
                span.free(addresses[i]);
                assertEquals(SmallSpan.FULL, span.state(), "size " + size + " after " + (i + 1) + " frees");
                assertFalse(central.isPartialListed(span), "size " + size);
            }
            span.free(addresses[span.reuseThreshold() - 1]);
            assertEquals(SmallSpan.PARTIAL, span.state(), "size " + size);
            assertTrue(central.isPartialListed(span), "size " + size);
        }
    }

    @Test
    void aSpanGivenUpBelowTheThresholdStaysFullAndOneAtItGoesToThePartialList() {
        CentralList central = centralOf(48);
        Filled filled = filledSpan(central);
        SmallSpan span = filled.span();
        long[] addresses = filled.addresses();
        for (int i = 0; i < span.reuseThreshold() - 1; i++) {
            span.free(addresses[i]);
        }
        central.uncache(span);
        assertEquals(SmallSpan.FULL, span.state());
        assertEquals(0, central.partialCount());
        span.free(addresses[span.reuseThreshold() - 1]);
        assertEquals(SmallSpan.PARTIAL, span.state());

        SmallSpan taken = central.exchange(null);
        assertSame(span, taken);
        assertEquals(SmallSpan.CACHED, taken.state());
        assertEquals(span.reuseThreshold(), taken.ownerFree());
        assertEquals(0, central.partialCount());
    }

    @Test
    void racingFreesThatCrossTheThresholdTogetherListTheSpanExactlyOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            CentralList central = centralOf(16);
            Filled filled = filledSpan(central);
            SmallSpan span = filled.span();
            long[] addresses = filled.addresses();
            central.uncache(span);
            int threshold = span.reuseThreshold();
            CyclicBarrier start = new CyclicBarrier(2);
            Thread other = Thread.ofPlatform().start(() -> {
                await(start);
                for (int i = 0; i < threshold; i += 2) {
                    span.free(addresses[i]);
                }
            });
            await(start);
            for (int i = 1; i < threshold; i += 2) {
                span.free(addresses[i]);
            }
            other.join();
            assertEquals(SmallSpan.PARTIAL, span.state(), "round " + round);
            assertEquals(1, central.partialCount(), "round " + round);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
