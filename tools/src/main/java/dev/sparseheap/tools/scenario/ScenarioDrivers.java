/*
 * What each scenario does to its heap. A driver grows the heap through a ScenarioHeap (which
 * checks every step), changes the address space around it the way the scenario's story goes,
 * and returns a one-sentence account. Running out of room ends a driver with HeapExhausted.
 */
package dev.sparseheap.tools.scenario;

import dev.sparseheap.ArenaHint;
import dev.sparseheap.ArenaRange;
import dev.sparseheap.arena.ArenaSet;
import dev.sparseheap.ByteSize;

/** The scenarios' actions. Stateless; each call works on its own heap. */
final class ScenarioDrivers {

    private static final long KIB = 1L << 10;
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    /** Hints the collision scenario keeps, like the seed's TestArenaCollision. */
    private static final int COLLISION_HINTS = 3;
    private static final int COLLISION_ROUNDS = 5;

    private ScenarioDrivers() {
    }

    /**
     * Seed 004's TestArenaCollision: keep three hints, then five times map a page at the next
     * hint and grow until the heap has moved on to another hint. No grant may land in the
     * arena-sized range at any hint that was taken.
     */
    static String collision(ScenarioHeap heap) {
        ArenaSet<?> set = heap.set();
        set.keepHints(COLLISION_HINTS);
        long page = heap.space().physicalPageSize();
        for (int round = 0; round < COLLISION_ROUNDS; round++) {
            ArenaHint hint = set.nextHint();
            if (hint.down()) {
                heap.forbid(new ArenaRange(hint.address() - set.arenaBytes(), set.arenaBytes()));
                heap.space().mapForeign(hint.address() - page, page);
            } else {
                heap.forbid(new ArenaRange(hint.address(), set.arenaBytes()));
                heap.space().mapForeign(hint.address(), page);
            }
            while (hint.equals(set.nextHint())) {
                heap.grow(16 * GIB);
            }
        }
        return COLLISION_ROUNDS + " foreign pages at successive hints, none touched; " + heap.summary();
    }

    /** A heap that grows past 512 GiB, the old layout's ceiling. */
    static String heapOver512G(ScenarioHeap heap) {
        for (int step = 0; step < 10; step++) {
            heap.grow(64 * GIB);
        }
        return "heap grew past 512 GiB; " + heap.summary();
    }

    /** A single region of 600 GiB. */
    static String hugeObject(ScenarioHeap heap) {
        ArenaRange range = heap.grow(600 * GIB);
        return "one " + ByteSize.format(range.size()) + " region at " + range;
    }

    /** A 32-bit process whose low memory is taken, so the heap's first block lands high. */
    static String highMapping32(ScenarioHeap heap) {
        ArenaRange first = heap.grow(64 * MIB);
        for (int step = 1; step < 4; step++) {
            heap.grow(64 * MIB);
        }
        return "first block at " + first + "; " + heap.set().arenaCount() + " arenas of metadata for "
                + heap.summary();
    }

    /** A 32-bit process whose system hands every new block out below the previous one. */
    static String nonMonotonic32(ScenarioHeap heap) {
        for (int step = 0; step < 24; step++) {
            heap.grow(64 * MIB);
        }
        return heap.descendingGrants() + " blocks came below an earlier one; " + heap.summary();
    }

    /**
     * Windows semantics with only the first three hints kept, all taken: the heap must reserve an
     * aligned block by freeing and re-reserving, and free only whole reservations.
     */
    static String windows(ScenarioHeap heap) {
        heap.set().keepHints(COLLISION_HINTS);
        for (int step = 0; step < 8; step++) {
            heap.grow(GIB);
        }
        return "exact-or-fail reservations, whole-reservation frees; " + heap.summary();
    }

    /** A 4 GiB limit on reserved address space (ulimit -v). */
    static String ulimitV(ScenarioHeap heap) {
        for (int step = 0; step < 12; step++) {
            heap.grow(256 * MIB);
        }
        return "3 GiB heap under a 4 GiB address-space limit; " + heap.summary();
    }

    /** 64 KiB physical pages on 32-bit, growth in sizes that are not multiples of them. */
    static String pages64k(ScenarioHeap heap) {
        long[] sizes = {8 * KIB, MIB + 8 * KIB, 24 * MIB + 40 * KIB};
        for (int step = 0; step < 60; step++) {
            heap.grow(sizes[step % sizes.length]);
        }
        return "odd growth sizes on 64 KiB pages; " + heap.summary();
    }

    /** Every hint of the 0x00c0 range already taken, as a sanitizer's shadow memory does. */
    static String sanitizerShadow(ScenarioHeap heap) {
        for (int step = 0; step < 8; step++) {
            heap.grow(GIB);
        }
        return "hint range held by a shadow mapping; " + heap.summary() + " starting at "
                + heap.set().heapRanges().getFirst();
    }

    /** Growth until the 32-bit space has nothing left: the end must be a clean refusal. */
    static String addressSpaceFull(ScenarioHeap heap) {
        long step = 256 * MIB;
        while (step >= 64 * KIB) {
            if (heap.tryGrow(step) == null) {
                step /= 2;
            }
        }
        throw new HeapExhausted("address space full after " + heap.summary());
    }
}
