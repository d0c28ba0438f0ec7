package dev.sparseheap.alloc;

import dev.sparseheap.testing.Race;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One span on its own: its owner allocates and frees locally, other threads free remotely; no page heap. */
class SmallSpanTest {

    private static final long BASE = 0x10_0000_0000L;

    private final List<IllegalArgumentException> late = new ArrayList<>();
    private final BadFrees badFrees = new BadFrees(late::add);
    private final ThreadCache owner = new ThreadCache(new ClassSpans[SizeClasses.count()], null, badFrees, (a, n) -> { });

    private SmallSpan span(int objectSize, boolean needsZero) {
        int cls = SizeClasses.classOf(objectSize);
        return new SmallSpan(BASE, SizeClasses.spanPages(cls), needsZero, cls, owner);
    }

    private static long[] fill(SmallSpan span) {
        long[] addresses = new long[span.objects()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = span.allocate();
        }
        return addresses;
    }

    @Test
    void theOwnerGetsEveryObjectOnceInAddressOrder() {
        SmallSpan span = span(48, false);
        Set<Long> seen = new HashSet<>();
        long previous = -1;
        for (long address = span.allocate(); address != 0; address = span.allocate()) {
            assertTrue(address > previous);
            assertTrue(seen.add(address));
            assertEquals(0, (address - BASE) % 48);
            previous = address;
        }
        assertEquals(span.objects(), seen.size());
        assertEquals(span.objects(), span.live());
        assertEquals(span.objects(), span.liveObjects());
        assertEquals(List.of(), verified(span));
    }

    @Test
    void locallyFreedSlotsAreHandedOutAgainAtOnceLowestFirst() {
        SmallSpan span = span(16, false);
        long[] addresses = fill(span);
        assertEquals(0, span.allocate());
        span.freeLocal(addresses[300]);
        span.freeLocal(addresses[7]);
        assertEquals(span.objects() - 2, span.live());
        assertEquals(addresses[7], span.allocate());
        assertEquals(addresses[300], span.allocate());
        assertEquals(0, span.allocate());
        assertEquals(2, span.frees());
        assertEquals(List.of(), verified(span));
    }

    @Test
    void aSlotFreedByTheOwnerAndPostedByARacingDuplicateIsNotHandedOutUntilCollected() {
        SmallSpan span = span(16, false);
        long first = span.allocate();
        long second = span.allocate();
        span.freeLocal(first);
        long[] remoteBits = remoteBitsOf(span);
        remoteBits[0] |= 1L;
        assertEquals(second + 16, span.allocate(), "the slot with a pending duplicate is skipped");
        assertEquals(0, span.collect(badFrees));
        assertEquals(1, late.size(), "the duplicate is reported once");
        assertEquals(first, span.allocate());
        assertEquals(List.of(), verified(span));
    }

    @Test
    void remoteFreesPostTheSpanOnceAndAreCollected() throws Exception {
        SmallSpan span = span(64, false);
        long[] addresses = fill(span);
        Thread other = Thread.ofPlatform().start(() -> {
            span.freeRemote(addresses[1]);
            span.freeRemote(addresses[2]);
            span.freeRemote(addresses[70]);
        });
        other.join();
        assertEquals(3, span.pendingRemoteFrees());
        assertEquals(span.objects() - 3, span.liveObjects());
        assertSame(span, owner.inbox().takeAll());
        assertNull(span.nextInInbox, "posted once");
        assertNull(owner.inbox().takeAll());
        span.clearPendingNotice();
        assertEquals(3, span.collect(badFrees));
        assertEquals(span.objects() - 3, span.live());
        assertEquals(addresses[1], span.allocate());
        span.freeRemote(addresses[5]);
        assertSame(span, owner.inbox().takeAll(), "posted again after the notice was cleared");
        assertEquals(List.of(), late);
    }

    @Test
    void objectsMayHoldOldBytesOnceTheOwnerHasSeenAFree() {
        SmallSpan zeroed = span(64, false);
        long first = zeroed.allocate();
        zeroed.allocate();
        assertFalse(zeroed.mayHoldOldBytes());
        zeroed.freeLocal(first);
        assertEquals(first, zeroed.allocate());
        assertTrue(zeroed.mayHoldOldBytes());
        assertTrue(span(64, true).mayHoldOldBytes());
    }

    @Test
    void badFreesAreRejectedWithoutEffect() {
        SmallSpan span = span(96, false);
        long a = span.allocate();
        long b = span.allocate();
        long c = span.allocate();
        span.freeLocal(a);
        span.freeRemote(c);
        assertThrows(IllegalArgumentException.class, () -> span.freeLocal(a));
        assertThrows(IllegalArgumentException.class, () -> span.freeRemote(a));
        assertThrows(IllegalArgumentException.class, () -> span.freeLocal(c));
        assertThrows(IllegalArgumentException.class, () -> span.freeRemote(c));
        assertThrows(IllegalArgumentException.class, () -> span.freeLocal(b + 8));
        assertThrows(IllegalArgumentException.class, () -> span.freeRemote(b + 8));
        assertThrows(IllegalArgumentException.class, () -> span.freeLocal(BASE + span.objects() * 96L));
        long neverHandedOut = c + 96;
        assertThrows(IllegalArgumentException.class, () -> span.freeLocal(neverHandedOut));
        assertThrows(IllegalArgumentException.class, () -> span.freeRemote(neverHandedOut));
        assertEquals(1, span.liveObjects());
        assertEquals(b, span.objectBase(b + 95));
        assertEquals(0, span.objectBase(a + 1));
        assertTrue(span.isAllocated(b));
        assertFalse(span.isAllocated(a));
        assertFalse(span.isAllocated(c));
        assertEquals(1, span.collect(badFrees));
        assertEquals(List.of(), late);
        assertEquals(List.of(), verified(span));
    }

    @Test
    void ofTwoThreadsFreeingRemotelyTheSameObjectExactlyOneWins() throws Exception {
        SmallSpan span = span(32, false);
        for (int round = 0; round < 200; round++) {
            long address = span.allocate();
            Race.Outcome outcome = Race.twice(() -> span.freeRemote(address), Race.Second.NEW_THREAD);
            assertEquals(1, outcome.accepted(), "round " + round);
            assertEquals(1, outcome.rejected(), "round " + round);
        }
        span.collect(badFrees);
        assertEquals(0, span.live());
        assertEquals(List.of(), late);
    }

    @Test
    void aRemoteFreeRacingTheOwnersFreeIsRejectedOrFoundLateExactlyOnce() throws Exception {
        SmallSpan span = span(32, false);
        int thrown = 0;
        int rounds = 300;
        for (int round = 0; round < rounds; round++) {
            long address = span.allocate();
            if (address == 0) {
                span.collect(badFrees);
                address = span.allocate();
            }
            long freed = address;
            CyclicBarrier start = new CyclicBarrier(2);
            AtomicInteger remoteThrew = new AtomicInteger();
            Thread other = Thread.ofPlatform().start(() -> {
                await(start);
                try {
                    span.freeRemote(freed);
                } catch (IllegalArgumentException e) {
                    remoteThrew.incrementAndGet();
                }
            });
            await(start);
            int liveBefore = span.live();
            try {
                span.freeLocal(freed);
            } catch (IllegalArgumentException e) {
                thrown++;
                assertEquals(liveBefore, span.live(), "a rejected local free changes nothing");
            }
            other.join();
            thrown += remoteThrew.get();
        }
        span.collect(badFrees);
        assertEquals(rounds, thrown + late.size(), "one duplicate per racing pair, thrown or found late");
        assertEquals(0, span.live(), "every object freed exactly once");
        assertEquals(List.of(), verified(span));
    }

    /** The span's remote bitmap, to plant what a racing duplicate leaves behind. */
    private static long[] remoteBitsOf(SmallSpan span) {
        try {
            var field = SmallSpan.class.getDeclaredField("remoteBits");
            field.setAccessible(true);
            return (long[]) field.get(span);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> verified(SmallSpan span) {
        List<String> problems = new ArrayList<>();
        span.verifyBitmaps(problems);
        return problems;
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
