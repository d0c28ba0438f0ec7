package dev.sparseheap.alloc;

import dev.sparseheap.ArenaLayout;
import dev.sparseheap.arena.ArenaSet;
import dev.sparseheap.os.SimulatedAddressSpace;
import dev.sparseheap.page.PageHeap;
import dev.sparseheap.page.PageHeapConfig;
import dev.sparseheap.testing.Race;
import dev.sparseheap.page.PageArena;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leases and claims of thread caches: who gets one, for how long, and what happens when threads die. */
class ThreadCachesTest {

    private static final int PROCESSORS = 2;

    /** Runs {@code body} on a new platform thread and waits for it. */
    private static <T> T onNewThread(java.util.function.Supplier<T> body) throws InterruptedException {
        AtomicReference<T> result = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().start(() -> result.set(body.get()));
        thread.join();
        return result.get();
    }

    private static ThreadCaches newCaches() {
        return new ThreadCaches(PROCESSORS, new ClassSpans[SizeClasses.count()], new BadFrees(BadFrees::logWarning),
                (address, bytes) -> { });
    }

    private static ThreadCache leaseOrFind(ThreadCaches caches) {
        Thread self = Thread.currentThread();
        ThreadCache home = caches.heldAtHome(self);
        return home != null ? home : caches.lease(self);
    }

    /** Starts platform threads until one has {@code home} as its home slot, and runs {@code body} on it. */
    private static <T> T onNewThreadWithHome(ThreadCaches caches, int home, java.util.function.Supplier<T> body)
            throws InterruptedException {
        for (int attempt = 0; attempt < 10_000; attempt++) {
            AtomicReference<T> result = new AtomicReference<>();
            AtomicReference<Boolean> matched = new AtomicReference<>(false);
            Thread thread = Thread.ofPlatform().start(() -> {
                if (caches.home(Thread.currentThread()) == home) {
                    matched.set(true);
                    result.set(body.get());
                }
            });
            thread.join();
            if (matched.get()) {
                return result.get();
            }
        }
        throw new AssertionError("no thread with home slot " + home + " in 10000 threads");
    }

    @Test
    void aPlatformThreadKeepsItsLeaseUntilItDies() throws Exception {
        ThreadCaches caches = newCaches();
        boolean kept = onNewThread(() -> {
            ThreadCache first = leaseOrFind(caches);
            return first != null && leaseOrFind(caches) == first && first.isHeldBy(Thread.currentThread());
        });
        assertTrue(kept);
        assertEquals(1, caches.leaseCount());
    }

    @Test
    void theLeaseOfADeadThreadPassesToTheNextThreadWithTheSameHome() throws Exception {
        ThreadCaches caches = newCaches();
        AtomicReference<ThreadCache> first = new AtomicReference<>();
        AtomicInteger home = new AtomicInteger();
        onNewThread(() -> {
            home.set(caches.home(Thread.currentThread()));
            first.set(leaseOrFind(caches));
            return null;
        });
        assertNotNull(first.get());
        ThreadCache second = onNewThreadWithHome(caches, home.get(), () -> leaseOrFind(caches));
        assertSame(first.get(), second);
        assertEquals(1, caches.leaseCount());
    }

    @Test
    void deadLeasesElsewhereDoNotKeepAThreadFromLeasingItsFreeHome() throws Exception {
        ThreadCaches caches = newCaches();
        for (int i = 0; i < 200; i++) {
            ThreadCache leased = onNewThread(() -> {
                for (int call = 0; call < 16; call++) {
                    ThreadCache cache = leaseOrFind(caches);
                    if (cache != null) {
                        return cache;
                    }
                }
                return null;
            });
            assertNotNull(leased, "thread " + i + " found no lease in 16 calls");
        }
    }

    @Test
    void threadsComingAndGoingNeverLeaseMoreThanHalfTheCaches() throws Exception {
        ThreadCaches caches = newCaches();
        for (int i = 0; i < 1000; i++) {
            boolean served = onNewThread(() -> {
                ThreadCache leased = leaseOrFind(caches);
                if (leased != null) {
                    return true;
                }
                ThreadCache claimed = caches.claim(Thread.currentThread());
                if (claimed == null) {
                    return false;
                }
                claimed.release();
                return true;
            });
            assertTrue(served, "thread " + i + " found no cache");
            assertTrue(caches.leaseCount() <= caches.count() / 2, caches.leaseCount() + " leases after thread " + i);
        }
    }

    @Test
    void atMostHalfTheCachesAreLeasedSoLateThreadsStillClaimOne() throws Exception {
        ThreadCaches caches = newCaches();
        int threads = caches.count();
        CountDownLatch tried = new CountDownLatch(threads);
        CountDownLatch finish = new CountDownLatch(1);
        List<Thread> holders = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            holders.add(Thread.ofPlatform().start(() -> {
                leaseOrFind(caches);
                tried.countDown();
                try {
                    finish.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        tried.await();
        int leases = caches.leaseCount();
        boolean lateThreadClaims = onNewThread(() -> {
            ThreadCache claimed = caches.claim(Thread.currentThread());
            if (claimed == null) {
                return false;
            }
            claimed.release();
            return !claimed.isHeldBy(Thread.currentThread());
        });
        finish.countDown();
        for (Thread holder : holders) {
            holder.join();
        }
        assertTrue(leases >= 1 && leases <= caches.count() / 2, leases + " leases");
        assertTrue(lateThreadClaims);
    }

    @Test
    void virtualThreadsClaimForOneCallAndNeverLease() throws Exception {
        ThreadCaches caches = newCaches();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread virtual = Thread.ofVirtual().start(() -> {
            Thread self = Thread.currentThread();
            if (caches.lease(self) != null) {
                failure.set("a virtual thread leased a cache");
                return;
            }
            ThreadCache claimed = caches.claim(self);
            if (claimed == null || !claimed.isHeldBy(self)) {
                failure.set("a virtual thread could not claim a free cache");
                return;
            }
            claimed.release();
            if (claimed.isHeldBy(self)) {
                failure.set("a released claim is still held");
            }
        });
        virtual.join();
        assertNull(failure.get());
        assertEquals(0, caches.leaseCount());
    }

    @Test
    void aClosedSetServesNobody() {
        ThreadCaches caches = newCaches();
        caches.closeAll();
        Thread self = Thread.currentThread();
        assertNull(caches.heldAtHome(self));
        assertNull(caches.lease(self));
        assertNull(caches.claim(self));
        assertEquals(0, caches.leaseCount());
    }

    @Test
    void settlingEndsTheLeasesOfDeadThreadsAndReturnsTheirEmptySpans() throws Exception {
        PageHeap pages = new PageHeap(
                ArenaSet.create(SimulatedAddressSpace.builder().addressBits(48).build(), ArenaLayout.SPARSE, PageArena.FACTORY),
                PageHeapConfig.defaults().withBackgroundScavenger(false));
        try {
            ObjectHeap objects = new ObjectHeap(pages, true, new BadFrees(BadFrees::logWarning), (address, bytes) -> { });
            for (int i = 0; i < 20; i++) {
                onNewThread(() -> {
                    long address = objects.allocate(64);
                    objects.free(address);
                    return address;
                });
            }
            assertTrue(pages.stats().inUseBytes() > 0, "dead threads' caches still hold their spans");
            objects.settleCaches(true);
            assertEquals(0, pages.stats().inUseBytes());
            List<String> problems = new ArrayList<>();
            objects.verify(problems);
            assertEquals(List.of(), problems);
        } finally {
            pages.close();
        }
    }

    @Test
    void anOwnerFreeingLocallyAndAnotherThreadFreeingTheSameObjectFreeItOnceAndReportTheDuplicateOnce()
            throws Exception {
        PageHeap pages = new PageHeap(
                ArenaSet.create(SimulatedAddressSpace.builder().addressBits(48).build(), ArenaLayout.SPARSE, PageArena.FACTORY),
                PageHeapConfig.defaults().withBackgroundScavenger(false));
        try {
            List<IllegalArgumentException> late = new CopyOnWriteArrayList<>();
            BadFrees badFrees = new BadFrees(late::add);
            ObjectHeap objects = new ObjectHeap(pages, true, badFrees, (address, bytes) -> { });
            long warm = objects.allocate(48);
            objects.free(warm);
            int rounds = 300;
            int thrown = 0;
            for (int round = 0; round < rounds; round++) {
                long address = objects.allocate(48);
                Race.Outcome outcome = Race.twice(() -> objects.free(address), Race.Second.CALLING_THREAD);
                assertEquals(2, outcome.accepted() + outcome.rejected(), "round " + round);
                thrown += outcome.rejected();
            }
            List<String> problems = new ArrayList<>();
            objects.settleCaches(false);
            objects.verify(problems);
            assertEquals(List.of(), problems);
            assertEquals(rounds, thrown + late.size(), "one duplicate per racing pair, thrown or found late");
            assertEquals(rounds, badFrees.count());
            SmallSpan span = (SmallSpan) pages.spanOf(warm);
            assertEquals(0, span.liveObjects(), "every object freed exactly once");
        } finally {
            pages.close();
        }
    }

    @Test
    void remoteFreesIntoTheSpansOfADeadThreadGiveThemBackWithoutAnyoneTakingItsCache() throws Exception {
        PageHeap pages = new PageHeap(
                ArenaSet.create(SimulatedAddressSpace.builder().addressBits(48).build(), ArenaLayout.SPARSE, PageArena.FACTORY),
                PageHeapConfig.defaults().withBackgroundScavenger(false));
        try {
            ObjectHeap objects = new ObjectHeap(pages, true, new BadFrees(BadFrees::logWarning), (address, bytes) -> { });
            int count = 5 * SizeClasses.objectsPerSpan(SizeClasses.classOf(256));
            long[] addresses = onNewThread(() -> {
                long[] allocated = new long[count];
                for (int i = 0; i < count; i++) {
                    allocated[i] = objects.allocate(256);
                }
                return allocated;
            });
            long spanBytes = SizeClasses.spanPages(SizeClasses.classOf(256)) * PageHeap.PAGE_SIZE;
            assertEquals(5 * spanBytes, pages.stats().inUseBytes());
            for (long address : addresses) {
                objects.free(address);
            }
            assertEquals(2 * spanBytes, pages.stats().inUseBytes(),
                    "only the dead thread's current span and its class's empty reserve stay");
            objects.settleCaches(true);
            assertEquals(0, pages.stats().inUseBytes());
        } finally {
            pages.close();
        }
    }

    @Test
    void aSlotStillInTheOwnersSpanButNeverHandedOutCannotBeFreed() {
        PageHeap pages = new PageHeap(
                ArenaSet.create(SimulatedAddressSpace.builder().addressBits(48).build(), ArenaLayout.SPARSE, PageArena.FACTORY),
                PageHeapConfig.defaults().withBackgroundScavenger(false));
        try {
            ObjectHeap objects = new ObjectHeap(pages, true, new BadFrees(BadFrees::logWarning), (address, bytes) -> { });
            long first = objects.allocate(32);
            SmallSpan span = (SmallSpan) pages.spanOf(first);
            int liveBefore = span.liveObjects();
            assertThrows(IllegalArgumentException.class, () -> objects.free(first + 32));
            assertEquals(liveBefore, span.liveObjects());
            assertSame(span, pages.spanOf(first + 32));
            objects.free(first);
        } finally {
            pages.close();
        }
    }
}
