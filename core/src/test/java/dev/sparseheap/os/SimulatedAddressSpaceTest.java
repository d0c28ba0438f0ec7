/*
 * Specification of the simulated address space, case by case: defaults, the Linux, QEMU and
 * Windows hint and free rules, state transitions, limits, injected failures and argument
 * checks. Each refusal is also checked to leave the layout exactly as it was.
 */
package dev.sparseheap.os;

import dev.sparseheap.os.SimulatedAddressSpace.Operation;
import dev.sparseheap.os.SimulatedAddressSpace.Semantics;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedAddressSpaceTest {

    static final long KiB = 1L << 10;
    static final long MiB = 1L << 20;
    static final long GiB = 1L << 30;
    static final long ARENA = 64 * MiB;
    static final long HINT = 0x00c0_0000_0000L;

    static SimulatedAddressSpace linux() {
        return SimulatedAddressSpace.builder().build();
    }

    static List<Mapping> heapMappings(SimulatedAddressSpace sim) {
        return sim.mappings().stream().filter(m -> m.owner() == RangeOwner.HEAP).toList();
    }

    static void assertAccounting(SimulatedAddressSpace sim, long reserved, long mapped, long released) {
        assertAll(
                () -> assertEquals(reserved, sim.reservedBytes(), "reserved bytes"),
                () -> assertEquals(mapped, sim.mappedBytes(), "mapped bytes"),
                () -> assertEquals(released, sim.releasedBytes(), "released bytes"));
    }

    @Nested
    class Defaults {
        @Test
        void aLinux48BitSpaceWith4KiBPagesAndNoMemoryBehindIt() {
            var sim = linux();
            assertEquals(48, sim.addressBits());
            assertEquals(1L << 48, sim.addressLimit());
            assertEquals(4096, sim.physicalPageSize());
            assertFalse(sim.isBackedByMemory());
            assertFalse(sim.freesWholeReservationsOnly());
            assertEquals("simulated linux 48-bit 4 KiB", sim.describe());
            assertAccounting(sim, 0, 0, 0);
        }

        @Test
        void theProgramImageAndBrkHeapAreForeignMappingsBelowTheBreak() {
            var sim = linux();
            assertEquals(List.of(
                    new Mapping(0x40_0000L, sim.programEnd() - 0x40_0000L, RangeState.READY, RangeOwner.FOREIGN),
                    new Mapping(sim.programEnd(), sim.programBreak() - sim.programEnd(), RangeState.READY, RangeOwner.FOREIGN)),
                    sim.mappings());
            assertTrue(sim.programBreak() > sim.programEnd());
        }

        @Test
        void windowsHasNoProgramBreakAndFreesWholeReservationsOnly() {
            var sim = SimulatedAddressSpace.builder().semantics(Semantics.WINDOWS).addressBits(32)
                    .physicalPageSize(65536).build();
            assertEquals(0, sim.programBreak());
            assertTrue(sim.freesWholeReservationsOnly());
            assertEquals("simulated windows 32-bit 64 KiB", sim.describe());
        }

        @Test
        void theBuilderRejectsValuesOutsideTheModel() {
            assertAll(
                    () -> assertThrows(IllegalArgumentException.class,
                            () -> SimulatedAddressSpace.builder().addressBits(64).build()),
                    () -> assertThrows(IllegalArgumentException.class,
                            () -> SimulatedAddressSpace.builder().physicalPageSize(8192).build()),
                    () -> assertThrows(IllegalArgumentException.class,
                            () -> SimulatedAddressSpace.builder().mmapBase(0x1234).build()),
                    () -> assertThrows(IllegalArgumentException.class,
                            () -> SimulatedAddressSpace.builder().addressBits(32).mmapBase(1L << 40).build()),
                    () -> assertThrows(IllegalArgumentException.class,
                            () -> SimulatedAddressSpace.builder().programEnd(0x100_0000).programBreak(0x10_0000).build()),
                    () -> assertThrows(IllegalArgumentException.class,
                            () -> SimulatedAddressSpace.builder().reservationLimit(0).build()),
                    () -> assertThrows(IllegalArgumentException.class,
                            () -> SimulatedAddressSpace.builder().foreignMapping(0x40_0000L, MiB).build()),
                    () -> assertThrows(IllegalArgumentException.class,
                            () -> SimulatedAddressSpace.builder().foreignMapping(HINT, 100).build()),
                    () -> assertThrows(IllegalArgumentException.class,
                            () -> SimulatedAddressSpace.builder().foreignMapping(HINT, GiB)
                                    .foreignMapping(HINT + MiB, MiB).build()));
        }
    }

    @Nested
    class LinuxHints {
        @Test
        void aFreeHintIsHonoured() {
            var sim = linux();
            assertEquals(HINT, sim.reserve(HINT, ARENA));
            assertEquals(HINT + ARENA, sim.reserve(HINT + ARENA, ARENA));
            assertEquals(List.of(new Mapping(HINT, 2 * ARENA, RangeState.RESERVED, RangeOwner.HEAP)), heapMappings(sim));
            assertAccounting(sim, 2 * ARENA, 0, 0);
        }

        @Test
        void aTakenHintFallsToTheHighestFreeGapBelowTheMmapBase() {
            var sim = linux();
            sim.mapForeign(HINT, MiB);
            long first = sim.reserve(HINT, ARENA);
            assertEquals(sim.mmapBase() - ARENA, first);
            assertEquals(first - ARENA, sim.reserve(HINT, ARENA));
            assertEquals(first - 2 * ARENA, sim.reserve(0, ARENA), "no hint searches top-down too");
        }

        @Test
        void aHintPastTheAddressLimitIsIgnored() {
            var sim = linux();
            assertEquals(sim.mmapBase() - ARENA, sim.reserve((1L << 48) - ARENA / 2 & -4096L, ARENA));
        }

        @Test
        void nothingIsEverGivenBelow64KiB() {
            var sim = SimulatedAddressSpace.builder().addressBits(32).build();
            assertEquals(0, sim.reserveExact(0x1000, 4096));
            assertNotEquals(0x1000, sim.reserve(0x1000, 4096));
            assertEquals(0x10000, sim.reserveExact(0x10000, 4096));
        }

        @Test
        void aHintJustAboveTheBreakIsNudgedUpToTheFirstAddressTheKernelGives() {
            var sim = SimulatedAddressSpace.builder().addressBits(32).semantics(Semantics.LINUX).build();
            long hint = sim.programBreak();
            long got = sim.reserve(hint, 4 * MiB);
            assertTrue(got > hint && got - hint <= 256 * KiB,
                    "nudged to just above the break, got 0x" + Long.toHexString(got));
        }

        @Test
        void whenNothingFitsBelowTheMmapBaseTheSearchGoesAboveIt() {
            var sim = SimulatedAddressSpace.builder().addressBits(32).mmapBase(0x1000_0000L).build();
            sim.mapForeign(0x10000, 0x0804_8000L - 0x10000);
            long gapTop = 0x1000_0000L;
            long holeAboveBreak = gapTop - (sim.programBreak() + 128 * KiB);
            long below = sim.reserve(0, holeAboveBreak);
            assertEquals(sim.programBreak() + 128 * KiB, below);
            assertEquals(gapTop, sim.reserve(0, MiB));
        }

        @Test
        void aFullSpaceRefusesWithZero() {
            var sim = SimulatedAddressSpace.builder().addressBits(32).build();
            assertEquals(0, sim.reserve(0, 4 * GiB - 4096));
            long held = 0;
            while (sim.reserve(0, 256 * MiB) != 0) {
                held += 256 * MiB;
            }
            assertTrue(held >= 3 * GiB, "a 32-bit space holds about 4 GiB, took " + held);
            assertEquals(held, sim.reservedBytes());
        }
    }

    @Nested
    class QemuHints {
        @Test
        void aHintJustAboveTheBreakIsNotNudgedAndLandsFarAway() {
            var linux = SimulatedAddressSpace.builder().addressBits(32).semantics(Semantics.LINUX).build();
            var qemu = SimulatedAddressSpace.builder().addressBits(32).semantics(Semantics.QEMU).build();
            long hint = qemu.programBreak();
            long onLinux = linux.reserve(hint, 4 * MiB);
            long onQemu = qemu.reserve(hint, 4 * MiB);
            assertTrue(onLinux - hint <= 256 * KiB);
            assertEquals(qemu.mmapBase() - 4 * MiB, onQemu, "QEMU places it top-down");
            assertEquals("simulated qemu 32-bit 4 KiB", qemu.describe());
        }

        @Test
        void aHintQuarterAMegabyteAboveTheBreakWorksOnBoth() {
            for (var semantics : List.of(Semantics.LINUX, Semantics.QEMU)) {
                var sim = SimulatedAddressSpace.builder().addressBits(32).semantics(semantics).build();
                long hint = Math.ceilDiv(sim.programBreak() + 256 * KiB, 4 * MiB) * 4 * MiB;
                assertEquals(hint, sim.reserve(hint, 4 * MiB), semantics.name());
            }
        }

        @Test
        void aFreeHintIsHonoured() {
            var sim = SimulatedAddressSpace.builder().semantics(Semantics.QEMU).build();
            assertEquals(HINT, sim.reserve(HINT, ARENA));
        }
    }

    @Nested
    class WindowsReservations {
        SimulatedAddressSpace sim = SimulatedAddressSpace.builder().semantics(Semantics.WINDOWS).build();

        @Test
        void aHintIsExactOrFails() {
            assertEquals(HINT, sim.reserve(HINT, ARENA));
            assertEquals(0, sim.reserve(HINT + MiB, ARENA));
            assertEquals(0, sim.reserve(HINT - MiB, 2 * MiB));
            assertEquals(HINT + ARENA, sim.reserve(HINT + ARENA, ARENA));
        }

        @Test
        void noHintTakesTheLowestFreeRangeOnThe64KiBGranularity() {
            long first = sim.reserve(0, 4096);
            assertEquals(64 * KiB, first);
            assertEquals(128 * KiB, sim.reserve(0, 4096));
            assertEquals(192 * KiB, sim.reserve(0, 8192));
        }

        @Test
        void adjacentReservationsKeepTheirBoundaries() {
            sim.reserve(HINT, ARENA);
            sim.reserve(HINT + ARENA, ARENA);
            assertEquals(List.of(new Mapping(HINT, ARENA, RangeState.RESERVED, RangeOwner.HEAP),
                    new Mapping(HINT + ARENA, ARENA, RangeState.RESERVED, RangeOwner.HEAP)), heapMappings(sim));
        }

        @Test
        void onlyAWholeReservationCanBeFreed() {
            sim.reserve(HINT, ARENA);
            sim.reserve(HINT + ARENA, ARENA);
            sim.map(HINT, MiB);
            var before = sim.mappings();
            assertAll(
                    () -> assertThrows(IllegalStateException.class, () -> sim.free(HINT, MiB)),
                    () -> assertThrows(IllegalStateException.class, () -> sim.free(HINT + MiB, ARENA - MiB)),
                    () -> assertThrows(IllegalStateException.class, () -> sim.free(HINT, 2 * ARENA)),
                    () -> assertThrows(IllegalStateException.class, () -> sim.free(HINT + MiB, ARENA)));
            assertEquals(before, sim.mappings());
            sim.free(HINT, ARENA);
            assertEquals(List.of(new Mapping(HINT + ARENA, ARENA, RangeState.RESERVED, RangeOwner.HEAP)), heapMappings(sim));
            assertAccounting(sim, ARENA, 0, 0);
        }

        @Test
        void aCommitMayCrossAdjacentReservationsWhichKeepTheirBoundaries() {
            sim.reserve(HINT, ARENA);
            sim.reserve(HINT + ARENA, ARENA);
            sim.map(HINT, 2 * ARENA);
            assertEquals(List.of(new Mapping(HINT, ARENA, RangeState.READY, RangeOwner.HEAP),
                    new Mapping(HINT + ARENA, ARENA, RangeState.READY, RangeOwner.HEAP)), heapMappings(sim));
            sim.free(HINT + ARENA, ARENA);
            assertAccounting(sim, ARENA, ARENA, 0);
        }

        @Test
        void partsOfAReservationCanBeCommittedAndDecommitted() {
            sim.reserve(HINT, ARENA);
            sim.map(HINT + MiB, 2 * MiB);
            sim.release(HINT + MiB, MiB);
            sim.fault(HINT + 2 * MiB, MiB);
            assertAccounting(sim, ARENA, MiB, MiB);
            sim.free(HINT, ARENA);
            assertAccounting(sim, 0, 0, 0);
        }
    }

    @Nested
    class Transitions {
        SimulatedAddressSpace sim = linux();

        @Test
        void mapReleaseFaultAndFreeWorkOnAnyPageAlignedSubrange() {
            assertEquals(HINT, sim.reserve(HINT, ARENA));
            sim.map(HINT, 8 * MiB);
            assertAccounting(sim, ARENA, 8 * MiB, 0);
            sim.release(HINT + MiB, 2 * MiB);
            assertAccounting(sim, ARENA, 8 * MiB, 2 * MiB);
            sim.map(HINT + MiB, MiB);
            assertAccounting(sim, ARENA, 8 * MiB, MiB);
            sim.fault(HINT + 4096, 4096);
            assertAccounting(sim, ARENA, 8 * MiB - 4096, MiB);
            sim.free(HINT + ARENA - MiB, MiB);
            sim.free(HINT + 2 * MiB, 4096);
            assertAccounting(sim, ARENA - MiB - 4096, 8 * MiB - 2 * 4096, MiB - 4096);
            assertEquals(List.of(
                    new Mapping(HINT, 4096, RangeState.READY, RangeOwner.HEAP),
                    new Mapping(HINT + 4096, 4096, RangeState.RESERVED, RangeOwner.HEAP),
                    new Mapping(HINT + 8192, 2 * MiB - 8192, RangeState.READY, RangeOwner.HEAP),
                    new Mapping(HINT + 2 * MiB + 4096, MiB - 4096, RangeState.RELEASED, RangeOwner.HEAP),
                    new Mapping(HINT + 3 * MiB, 5 * MiB, RangeState.READY, RangeOwner.HEAP),
                    new Mapping(HINT + 8 * MiB, ARENA - 9 * MiB, RangeState.RESERVED, RangeOwner.HEAP)),
                    heapMappings(sim));
        }

        @Test
        void mappingAReadyRangeAgainChangesNothing() {
            sim.reserve(HINT, ARENA);
            sim.map(HINT, MiB);
            sim.map(HINT, 2 * MiB);
            assertAccounting(sim, ARENA, 2 * MiB, 0);
            assertEquals(2, heapMappings(sim).size());
        }

        @Test
        void wrongStatesAreRefusedAndChangeNothing() {
            sim.reserve(HINT, ARENA);
            sim.map(HINT, MiB);
            sim.mapForeign(HINT + ARENA, MiB);
            var before = sim.mappings();
            var releaseReserved = assertThrows(IllegalStateException.class, () -> sim.release(HINT, 2 * MiB));
            assertTrue(releaseReserved.getMessage().contains("is reserved"), releaseReserved.getMessage());
            var foreign = assertThrows(IllegalStateException.class, () -> sim.map(HINT + ARENA - MiB, 2 * MiB));
            assertTrue(foreign.getMessage().contains("foreign"), foreign.getMessage());
            var notHeld = assertThrows(IllegalStateException.class, () -> sim.free(HINT - MiB, 2 * MiB));
            assertTrue(notHeld.getMessage().contains("not held"), notHeld.getMessage());
            assertAll(
                    () -> assertThrows(IllegalStateException.class, () -> sim.fault(HINT + ARENA, MiB)),
                    () -> assertThrows(IllegalStateException.class, () -> sim.free(HINT + ARENA, MiB)),
                    () -> assertThrows(IllegalStateException.class, () -> sim.map(0x1_0000_0000L, MiB)),
                    () -> assertThrows(IllegalStateException.class, () -> sim.release(sim.programEnd(), 4096)));
            assertEquals(before, sim.mappings());
            assertAccounting(sim, ARENA, MiB, 0);
        }

        @Test
        void reserveExactTakesOnlyAFreeRangeAndNeverClobbers() {
            sim.mapForeign(HINT + MiB, MiB);
            assertEquals(0, sim.reserveExact(HINT, 4 * MiB));
            assertEquals(0, sim.reserveExact(HINT + MiB, MiB));
            assertEquals(HINT, sim.reserveExact(HINT, MiB));
            assertEquals(0, sim.reserveExact(HINT, MiB), "already held by the heap");
            assertEquals(List.of(new Mapping(HINT, MiB, RangeState.RESERVED, RangeOwner.HEAP),
                    new Mapping(HINT + MiB, MiB, RangeState.READY, RangeOwner.FOREIGN)),
                    sim.mappings().subList(2, 4));
        }

        @Test
        void aForeignMappingCannotAppearOverATakenRange() {
            sim.reserve(HINT, ARENA);
            assertThrows(IllegalStateException.class, () -> sim.mapForeign(HINT + MiB, MiB));
            assertThrows(IllegalStateException.class, () -> sim.mapForeign(0, MiB));
            assertEquals(1, heapMappings(sim).size());
            assertEquals(ARENA, sim.reservedBytes());
        }
    }

    @Nested
    class Limits {
        @Test
        void theReservationLimitCountsForeignMappingsButReservedBytesDoNot() {
            var sim = SimulatedAddressSpace.builder().programEnd(0x80_0000L).programBreak(0x80_0000L)
                    .foreignMapping(HINT, 60 * MiB).reservationLimit(4 * MiB + 60 * MiB + 128 * MiB).build();
            assertEquals(4 * MiB + 60 * MiB, sim.heldBytes(), "image and foreign mapping");
            assertEquals(HINT + ARENA, sim.reserve(HINT + ARENA, ARENA));
            assertEquals(0, sim.reserve(0, 2 * ARENA));
            assertEquals(0, sim.reserveExact(HINT + 4 * ARENA, 2 * ARENA));
            assertTrue(sim.reserve(0, ARENA) != 0);
            assertEquals(0, sim.reserve(0, 4096));
            assertEquals(2 * ARENA, sim.reservedBytes());
            sim.free(HINT + ARENA, ARENA);
            assertTrue(sim.reserve(0, ARENA) != 0, "freeing gives room back");
        }

        @Test
        void aForeignMappingIsNeverRefusedByTheLimitButCrowdsTheHeapOut() {
            var sim = SimulatedAddressSpace.builder().reservationLimit(GiB).build();
            sim.mapForeign(HINT, 2 * GiB);
            assertEquals(0, sim.reserve(0, 4096));
        }

        @Test
        void theMappingLimitRefusesMapWithOutOfMemoryNamingStrictOvercommit() {
            var sim = SimulatedAddressSpace.builder().mappingLimit(8 * MiB).build();
            sim.reserve(HINT, ARENA);
            sim.map(HINT, 6 * MiB);
            sim.release(HINT, 4 * MiB);
            sim.map(HINT, 4 * MiB);
            var error = assertThrows(OutOfMemoryError.class, () -> sim.map(HINT + 6 * MiB, 4 * MiB));
            assertTrue(error.getMessage().contains("strict overcommit limit"), error.getMessage());
            assertAccounting(sim, ARENA, 6 * MiB, 0);
            sim.map(HINT + 6 * MiB, 2 * MiB);
            assertAccounting(sim, ARENA, 8 * MiB, 0);
            sim.fault(HINT, MiB);
            sim.map(HINT + 8 * MiB, MiB);
        }
    }

    @Nested
    class InjectedFailures {
        SimulatedAddressSpace sim = linux();

        @Test
        void reservationsReturnZeroForTheNextCountCalls() {
            sim.failNext(Operation.RESERVE, 2);
            sim.failNext(Operation.RESERVE_EXACT, 1);
            assertEquals(0, sim.reserve(HINT, ARENA));
            assertEquals(0, sim.reserve(0, ARENA));
            assertEquals(HINT, sim.reserve(HINT, ARENA));
            assertEquals(0, sim.reserveExact(HINT + ARENA, ARENA));
            assertEquals(HINT + ARENA, sim.reserveExact(HINT + ARENA, ARENA));
            assertEquals(3, sim.operationCount(Operation.RESERVE));
            assertEquals(2, sim.operationCount(Operation.RESERVE_EXACT));
        }

        @Test
        void mapThrowsOutOfMemoryAndTheOthersIllegalState() {
            sim.reserve(HINT, ARENA);
            sim.map(HINT, MiB);
            for (var op : Operation.values()) {
                sim.failNext(op, 1);
            }
            var before = sim.mappings();
            List<Executable> calls = List.of(
                    () -> sim.map(HINT, MiB),
                    () -> sim.release(HINT, MiB),
                    () -> sim.fault(HINT, MiB),
                    () -> sim.free(HINT, MiB));
            var oom = assertThrows(OutOfMemoryError.class, calls.get(0));
            assertTrue(oom.getMessage().contains("injected"));
            for (var call : calls.subList(1, calls.size())) {
                var error = assertThrows(IllegalStateException.class, call);
                assertTrue(error.getMessage().contains("injected failure"), error.getMessage());
            }
            assertEquals(before, sim.mappings());
            sim.release(HINT, MiB);
            assertAccounting(sim, ARENA, MiB, MiB);
        }

        @Test
        void aCountOfZeroClearsAndANegativeCountIsRefused() {
            sim.failNext(Operation.RESERVE, 5);
            sim.failNext(Operation.RESERVE, 0);
            assertEquals(HINT, sim.reserve(HINT, ARENA));
            assertThrows(IllegalArgumentException.class, () -> sim.failNext(Operation.MAP, -1));
        }

        @Test
        void badArgumentsDoNotConsumeAnInjectedFailure() {
            sim.failNext(Operation.RESERVE, 1);
            assertThrows(IllegalArgumentException.class, () -> sim.reserve(HINT, 100));
            assertEquals(0, sim.reserve(HINT, ARENA));
            assertEquals(2, sim.operationCount(Operation.RESERVE));
        }
    }

    @Nested
    class BadArguments {
        @Test
        void everyBadAddressOrSizeIsAnIllegalArgumentAndChangesNothing() {
            var sim = SimulatedAddressSpace.builder().addressBits(32).build();
            long base = sim.reserve(0, 16 * MiB);
            sim.map(base, MiB);
            var before = sim.mappings();
            long limit = sim.addressLimit();
            List<Executable> calls = List.of(
                    () -> sim.reserve(base + 1, 4096),
                    () -> sim.reserve(-4096, 4096),
                    () -> sim.reserve(0, 0),
                    () -> sim.reserve(0, -4096),
                    () -> sim.reserve(0, 100),
                    () -> sim.reserve(0, limit + 4096),
                    () -> sim.reserveExact(limit - 4096, 8192),
                    () -> sim.reserveExact(Long.MAX_VALUE & -4096L, 8192),
                    () -> sim.map(base + 12, 4096),
                    () -> sim.map(base, 4095),
                    () -> sim.release(base, 0),
                    () -> sim.fault(base, -4096),
                    () -> sim.free(base - 1, 4096),
                    () -> sim.free(limit, 4096),
                    () -> sim.mapForeign(limit - 4096, 8192));
            for (var call : calls) {
                var error = assertThrows(IllegalArgumentException.class, call);
                assertTrue(error.getMessage().matches("\\w+\\(0x[0-9a-f]+, -?\\d+\\): .+"), error.getMessage());
            }
            assertEquals(before, sim.mappings());
            assertAccounting(sim, 16 * MiB, MiB, 0);
        }
    }
}
