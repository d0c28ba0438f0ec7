package dev.sparseheap.alloc;

import dev.sparseheap.testing.Race;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A cached span on its own: the owner allocates, anyone frees; no page heap is involved. */
class SmallSpanTest {

    private static final long BASE = 0x10_0000_0000L;

    private static SmallSpan cachedSpan(int objectSize, boolean needsZero) {
        int cls = SizeClasses.classOf(objectSize);
        return new CentralList(cls, null).create(BASE, SizeClasses.spanPages(cls), needsZero);
    }

    @Test
    void ownerGetsEveryObjectOnceInAddressOrder() {
        SmallSpan span = cachedSpan(48, false);
        Set<Long> seen = new HashSet<>();
        long previous = -1;
        while (span.ownerFree() > 0) {
            long address = span.allocate() & ~SmallSpan.DIRTY;
            assertTrue(address > previous);
            assertTrue(seen.add(address));
            assertEquals(0, (address - BASE) % 48);
            previous = address;
        }
        assertEquals(span.objects(), seen.size());
        assertEquals(span.objects(), span.allocatedObjects());
        assertTrue(span.tailIntact());
    }

    @Test
    void freshSlotsOfAZeroedSpanAreCleanAndReusedSlotsAreDirty() {
        SmallSpan span = cachedSpan(64, false);
        long first = span.allocate();
        assertEquals(0, first & SmallSpan.DIRTY);
        span.free(first);
        assertTrue(span.recount());
        long again = span.allocate();
        assertEquals(first | SmallSpan.DIRTY, again);
        assertEquals(0, span.allocate() & SmallSpan.DIRTY);
        SmallSpan dirtySpan = cachedSpan(64, true);
        assertEquals(SmallSpan.DIRTY, dirtySpan.allocate() & SmallSpan.DIRTY);
    }

    @Test
    void freesAreSeenWhenTheOwnerCountsAgain() {
        SmallSpan span = cachedSpan(16, false);
        long[] addresses = new long[span.objects()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = span.allocate() & ~SmallSpan.DIRTY;
        }
        assertFalse(span.recount());
        span.free(addresses[7]);
        span.free(addresses[300]);
        assertEquals(0, span.ownerFree());
        assertEquals(2, span.freeObjects());
        assertEquals(SmallSpan.CACHED, span.state());
        assertTrue(span.recount());
        assertEquals(2, span.ownerFree());
        assertEquals(addresses[7], span.allocate() & ~SmallSpan.DIRTY);
        assertEquals(addresses[300], span.allocate() & ~SmallSpan.DIRTY);
    }

    @Test
    void doubleFreeAndInteriorAddressesAreRejectedWithoutEffect() {
        SmallSpan span = cachedSpan(96, false);
        long a = span.allocate();
        long b = span.allocate();
        span.free(a);
        int freeBefore = span.freeObjects();
        assertThrows(IllegalArgumentException.class, () -> span.free(a));
        assertThrows(IllegalArgumentException.class, () -> span.free(b + 8));
        assertThrows(IllegalArgumentException.class, () -> span.free(BASE + span.objects() * 96L));
        assertEquals(freeBefore, span.freeObjects());
        assertEquals(SmallSpan.CACHED, span.state());
        assertEquals(1, span.allocatedObjects());
        assertEquals(b, span.objectBase(b + 95));
        assertEquals(0, span.objectBase(a + 1));
        assertTrue(span.isAllocated(b));
        assertFalse(span.isAllocated(a));
    }

    @Test
    void ofTwoThreadsFreeingTheSameObjectExactlyOneWins() throws Exception {
        SmallSpan span = cachedSpan(32, false);
        for (int round = 0; round < 200; round++) {
            long address = span.allocate() & ~SmallSpan.DIRTY;
            Race.Outcome outcome = Race.twice(() -> span.free(address), Race.Second.NEW_THREAD);
            assertEquals(1, outcome.accepted(), "round " + round);
            assertEquals(1, outcome.rejected(), "round " + round);
            assertTrue(span.recount());
        }
        assertEquals(0, span.allocatedObjects());
    }
}
