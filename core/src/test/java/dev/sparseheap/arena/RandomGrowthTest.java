package dev.sparseheap.arena;

import dev.sparseheap.ArenaHint;
import dev.sparseheap.ArenaLayout;
import dev.sparseheap.ArenaRange;
import dev.sparseheap.os.SimulatedAddressSpace;
import dev.sparseheap.os.SimulatedAddressSpace.Operation;
import dev.sparseheap.os.SimulatedAddressSpace.Semantics;
import dev.sparseheap.page.PageArena;
import dev.sparseheap.testing.Seeds;
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
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random growth sequences on random simulated spaces (32/48-bit, 4-64 KiB pages, Linux,
 * Windows, QEMU), with foreign mappings appearing at hints and at random places, injected
 * system failures and a reservation limit, checked after every step against a reference model:
 * grants never overlap each other or anything foreign, and the index answers exactly like a
 * sorted map of the arenas.
 */
class RandomGrowthTest {

    private static final int STEPS = 60;

    static LongStream seeds() {
        return Seeds.stream(LongStream.rangeClosed(1, 24).toArray());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomGrowthKeepsEveryInvariant(long seed) {
        Random random = new Random(seed);
        var space = randomSpace(random);
        ArenaLayout layout = random.nextBoolean() ? ArenaLayout.SPARSE : ArenaLayout.CONTIGUOUS;
        long defaultArena = space.addressBits() > 32 ? 64L << 20 : 4L << 20;
        long arenaBytes = random.nextBoolean() ? defaultArena
                : Math.max(space.physicalPageSize(), 1L << (16 + random.nextInt(Long.numberOfTrailingZeros(defaultArena) - 15)));
        String context = Seeds.describe(seed) + ", " + layout + ", " + space.describe() + ", arena " + arenaBytes;
        List<ArenaRange> grants = new ArrayList<>();
        try (var set = ArenaSet.create(space, layout, arenaBytes, PageArena.FACTORY)) {
            for (int step = 0; step < STEPS; step++) {
                String at = context + ", step " + step;
                int action = random.nextInt(10);
                try {
                    switch (action) {
                        case 0, 1 -> mapForeignAtNextHint(set, space);
                        case 2 -> mapForeignAnywhere(random, space);
                        case 3 -> space.failNext(Operation.values()[random.nextInt(3)], 1 + random.nextInt(3));
                        default -> grow(random, set, grants, at);
                    }
                } catch (OutOfMemoryError refused) {
                    assertTrue(refused.getMessage() != null, at);
                }
                checkInvariants(random, set, space, grants, at);
            }
        } catch (RuntimeException | AssertionError failure) {
            throw new AssertionError(context + ": " + failure, failure);
        }
        assertEquals(0, space.reservedBytes(), context);
    }

    private static SimulatedAddressSpace randomSpace(Random random) {
        int bits = random.nextBoolean() ? 32 : 48;
        var builder = SimulatedAddressSpace.builder()
                .addressBits(bits)
                .physicalPageSize(new long[] {4096, 16384, 65536}[random.nextInt(3)])
                .semantics(Semantics.values()[random.nextInt(Semantics.values().length)]);
        if (random.nextInt(4) == 0) {
            builder.reservationLimit(bits == 32 ? 3L << 30 : 64L << 30);
        }
        return builder.build();
    }

    private static void mapForeignAtNextHint(ArenaSet<PageArena> set, SimulatedAddressSpace space) {
        ArenaHint hint = set.nextHint();
        long page = space.physicalPageSize();
        if (hint == null) {
            return;
        }
        long at = hint.down() ? hint.address() - page : hint.address();
        tryMapForeign(space, at, page);
    }

    private static void mapForeignAnywhere(Random random, SimulatedAddressSpace space) {
        long page = space.physicalPageSize();
        long pages = space.addressLimit() / page;
        long at = (1 + (long) (random.nextDouble() * (pages - 64))) * page;
        tryMapForeign(space, at, page * (1 + random.nextInt(16)));
    }

    /** Another party maps a range; where something is already there, it simply does not. */
    private static void tryMapForeign(SimulatedAddressSpace space, long at, long size) {
        try {
            space.mapForeign(at, size);
        } catch (IllegalStateException taken) {
            // Something (perhaps the heap) is already there: the other party maps nothing.
        }
    }

    private static void grow(Random random, ArenaSet<PageArena> set, List<ArenaRange> grants, String at) {
        long bytes = switch (random.nextInt(4)) {
            case 0 -> 1 + random.nextInt(1 << 20);
            case 1 -> set.arenaBytes() * (1 + random.nextInt(4));
            case 2 -> set.arenaBytes() * (1 + random.nextInt(4)) + 1;
            default -> Math.min(set.arenaBytes() * 256, 1L << (20 + random.nextInt(set.addressSpace().addressBits() > 32 ? 21 : 11)));
        };
        ArenaRange grant = set.grow(bytes);
        if (grant == null) {
            return;
        }
        assertTrue(grant.size() >= bytes, at + ": " + grant + " for " + bytes);
        assertEquals(0, grant.base() % HeapArena.PAGE_SIZE, at);
        assertEquals(0, grant.size() % HeapArena.PAGE_SIZE, at);
        if (set.layout() == ArenaLayout.SPARSE) {
            assertEquals(0, grant.base() % set.arenaBytes(), at);
            assertEquals(0, grant.size() % set.arenaBytes(), at);
        }
        for (ArenaRange earlier : grants) {
            assertFalse(earlier.base() < grant.end() && grant.base() < earlier.end(),
                    at + ": " + grant + " overlaps earlier " + earlier);
        }
        grants.add(grant);
    }

    private static void checkInvariants(Random random, ArenaSet<PageArena> set, SimulatedAddressSpace space,
                                        List<ArenaRange> grants, String at) {
        set.verifyAgainstSpace();
        TreeMap<Long, HeapArena> reference = new TreeMap<>();
        for (HeapArena arena : set.arenas()) {
            reference.put(arena.base(), arena);
        }
        for (ArenaRange grant : grants) {
            assertTrue(set.heapRanges().stream().anyMatch(r -> r.base() <= grant.base() && grant.end() <= r.end()),
                    at + ": grant " + grant + " not in the heap's ranges");
        }
        for (HeapArena arena : reference.values()) {
            assertSame(arena, set.arenaOf(arena.base()), at);
            assertSame(expected(reference, arena.base() - 1), set.arenaOf(arena.base() - 1), at);
            assertSame(expected(reference, arena.end()), set.arenaOf(arena.end()), at);
        }
        for (int probe = 0; probe < 200; probe++) {
            long address = (long) (random.nextDouble() * space.addressLimit());
            assertSame(expected(reference, address), set.arenaOf(address), at + ": address 0x" + Long.toHexString(address));
        }
        assertSame(null, set.arenaOf(-1), at);
        assertSame(null, set.arenaOf(space.addressLimit()), at);
    }

    private static HeapArena expected(TreeMap<Long, HeapArena> reference, long address) {
        Map.Entry<Long, HeapArena> floor = reference.floorEntry(address);
        return floor != null && address < floor.getValue().end() ? floor.getValue() : null;
    }

}
