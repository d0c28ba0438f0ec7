/*
 * The real address space, checked against what the kernel reports in procfs: reservations,
 * mappings, resident memory, exact reservations that never clobber, errno in every failure,
 * argument and state refusals that touch nothing, and concurrent use.
 *
 * Other threads of the test JVM (compilers, the garbage collector, malloc) map and unmap memory
 * at any moment, and the kernel hands a mapping without a hint the highest free gap that fits,
 * which is often a hole a test has just made. So every test that frees a range and then looks at
 * that range again, or reserves it again, works in a quiet part of the address space (QUIET):
 * far below where the kernel places mappings without a hint (top-down from just under the stack,
 * near 1 << 47), far above the JVM's own reservations (below 64 GiB), and reached by no
 * sparseheap heap, since none is open while these tests run. Its outcome cannot depend on what
 * other threads do in between.
 */
package dev.sparseheap.os;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real address space of this process: every effect is checked in procfs. */
class LinuxAddressSpaceTest {

    static final long MiB = 1L << 20;
    static final long GiB = 1L << 30;
    static final long TiB = 1L << 40;

    /** The start of the quiet part of the address space: 48 TiB. */
    static final long QUIET = 0x3000_0000_0000L;

    final LinuxAddressSpace os = LinuxAddressSpace.create();
    final List<long[]> held = new ArrayList<>();
    private long nextQuiet = QUIET;

    long reserve(long hint, long size) {
        long base = os.reserve(hint, size);
        assertNotEquals(0, base, "reserve " + size);
        held.add(new long[] {base, size});
        return base;
    }

    /** Reserves {@code size} bytes in the quiet part of the address space, each range apart from the last. */
    long reserveQuiet(long size) {
        long hint = nextQuiet;
        nextQuiet += (size + GiB - 1 & -GiB) + GiB;
        assertEquals(hint, reserve(hint, size), "nothing else maps in the quiet part of the address space");
        return hint;
    }

    /** Each test frees all it reserved or nothing; what it left is freed here. */
    @AfterEach
    void freeWhatTheTestLeft() {
        if (os.reservedBytes() > 0) {
            held.forEach(range -> os.free(range[0], range[1]));
        }
    }

    static MemorySegment segment(long address, long size) {
        return MemorySegment.ofAddress(address).reinterpret(size);
    }

    static void touchEveryPage(MemorySegment segment, long page, byte value) {
        for (long offset = 0; offset < segment.byteSize(); offset += page) {
            segment.set(ValueLayout.JAVA_BYTE, offset, value);
        }
    }

    @Test
    void describesTheRealSystem() {
        assertTrue(os.isBackedByMemory());
        assertFalse(os.freesWholeReservationsOnly());
        assertEquals(48, os.addressBits());
        long page = os.physicalPageSize();
        assertTrue(page >= 4096 && Long.bitCount(page) == 1, "page size " + page);
        assertTrue(os.programEnd() > 0, "the executable is listed in /proc/self/maps");
        assertTrue(os.programBreak() >= os.programEnd(), "the break lies above the executable");
        assertTrue(os.describe().startsWith("linux "), os.describe());
    }

    @Test
    void aTerabyteReservationIsMappedWrittenReleasedFaultedAndFreedForReal() {
        long page = os.physicalPageSize();
        long base = reserveQuiet(TiB);
        assertEquals(List.of("---p"), ProcMaps.read(base, base + TiB).stream().map(ProcMaps.Region::permissions).toList());
        assertEquals(TiB, os.reservedBytes());

        long chunk = base + 64 * MiB;
        os.map(chunk, 64 * MiB);
        assertEquals(64 * MiB, os.mappedBytes());
        var mapped = ProcMaps.read(chunk, chunk + 64 * MiB);
        assertEquals(1, mapped.size(), mapped.toString());
        assertTrue(mapped.getFirst().readWrite() && mapped.getFirst().start() == chunk
                && mapped.getFirst().end() == chunk + 64 * MiB, mapped.toString());

        var memory = segment(chunk, 64 * MiB);
        touchEveryPage(memory, page, (byte) 7);
        memory.set(ValueLayout.JAVA_LONG, 8, 0x1234_5678_9abc_def0L);
        assertEquals(0x1234_5678_9abc_def0L, memory.get(ValueLayout.JAVA_LONG, 8));
        assertTrue(ProcMaps.residentBytes(chunk, chunk + 64 * MiB) >= 64 * MiB, "written pages are resident");

        os.release(chunk, 64 * MiB);
        assertEquals(64 * MiB, os.releasedBytes());
        assertTrue(ProcMaps.residentBytes(chunk, chunk + 64 * MiB) < MiB, "released pages leave the resident set");
        assertEquals(0, memory.get(ValueLayout.JAVA_LONG, 8), "released pages read as zero");
        assertEquals(0, memory.get(ValueLayout.JAVA_BYTE, 32 * MiB));

        os.map(chunk, 64 * MiB);
        assertEquals(0, os.releasedBytes());
        memory.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);

        os.fault(chunk, 64 * MiB);
        assertEquals(0, os.mappedBytes());
        assertTrue(ProcMaps.read(chunk, chunk + 64 * MiB).stream().allMatch(ProcMaps.Region::inaccessible));

        os.free(base, TiB);
        assertEquals(List.of(), ProcMaps.read(base, base + TiB), "the mapping is gone");
        assertEquals(0, os.reservedBytes());
    }

    @Test
    void partsOfAReservationCanBeFreed() {
        long page = os.physicalPageSize();
        long base = reserveQuiet(16 * page);
        os.free(base + 4 * page, 4 * page);
        assertEquals(12 * page, os.reservedBytes());
        assertEquals(List.of(), ProcMaps.read(base + 4 * page, base + 8 * page));
        os.free(base, 4 * page);
        os.free(base + 8 * page, 8 * page);
        assertEquals(0, os.reservedBytes());
    }

    @Test
    void mappingsListWhatThisSpaceHoldsWithItsStatesAndTheRestOfTheProcessAsForeign() {
        long page = os.physicalPageSize();
        long base = reserve(0, 8 * page);
        os.map(base + 2 * page, 2 * page);
        List<Mapping> mappings = os.mappings();
        assertEquals(List.of(new Mapping(base, 2 * page, RangeState.RESERVED, RangeOwner.HEAP),
                new Mapping(base + 2 * page, 2 * page, RangeState.READY, RangeOwner.HEAP),
                new Mapping(base + 4 * page, 4 * page, RangeState.RESERVED, RangeOwner.HEAP)),
                mappings.stream().filter(m -> m.owner() == RangeOwner.HEAP).toList());
        for (int i = 1; i < mappings.size(); i++) {
            assertTrue(mappings.get(i - 1).end() <= mappings.get(i).base(), "sorted and disjoint: " + mappings);
        }
        long codeOfThisJvm = ProcMaps.read().stream().filter(r -> r.path().endsWith("libjvm.so"))
                .findFirst().orElseThrow().start();
        assertTrue(mappings.stream().anyMatch(m -> m.owner() == RangeOwner.FOREIGN && m.state() == RangeState.READY
                && m.base() <= codeOfThisJvm && codeOfThisJvm < m.end()), "the JVM's own code is a foreign mapping");
        os.free(base, 8 * page);
    }

    @Test
    void aFreeHintIsHonoured() {
        assertEquals(QUIET, reserve(QUIET, 64 * MiB));
    }

    @Nested
    class ExactReservation {
        /** The hole is made inside a quiet reservation whose two ends stay held. */
        @Test
        void succeedsOnAFreeRange() {
            long page = os.physicalPageSize();
            long base = reserveQuiet(10 * page);
            long hole = base + page;
            os.free(hole, 8 * page);
            held.clear();
            held.addAll(List.of(new long[] {base, page}, new long[] {base + 9 * page, page}));
            assertEquals(List.of(), ProcMaps.read(hole, hole + 8 * page));
            assertEquals(hole, os.reserveExact(hole, 8 * page));
            held.add(new long[] {hole, 8 * page});
            assertEquals(10 * page, os.reservedBytes());
            assertEquals(List.of("---p"), ProcMaps.read(base, base + 10 * page).stream()
                    .map(ProcMaps.Region::permissions).distinct().toList());
        }

        @Test
        void failsOnItsOwnMappingWithoutClobberingIt() {
            long page = os.physicalPageSize();
            long base = reserveQuiet(8 * page);
            os.map(base, 8 * page);
            var memory = segment(base, 8 * page);
            memory.set(ValueLayout.JAVA_LONG, 3 * page, 42);
            assertEquals(0, os.reserveExact(base + 2 * page, 4 * page));
            assertEquals(0, os.reserveExact(base - page, 2 * page), "a range overlapping the start is taken too");
            assertEquals(42, memory.get(ValueLayout.JAVA_LONG, 3 * page), "data survives");
            assertEquals(8 * page, os.reservedBytes());
        }

        @Test
        void failsOnMemoryTheJvmOwnsWithoutClobberingIt() {
            long page = os.physicalPageSize();
            try (var arena = Arena.ofConfined()) {
                var memory = arena.allocate(4 * page, page);
                memory.set(ValueLayout.JAVA_LONG, page, 0xfeedL);
                assertEquals(0, os.reserveExact(memory.address() + page, page));
                assertEquals(0xfeedL, memory.get(ValueLayout.JAVA_LONG, page));
                assertEquals(0, os.reservedBytes());
            }
        }
    }

    @Nested
    class Refusals {
        @Test
        void everyBadArgumentIsAnIllegalArgumentBeforeAnySystemCall() {
            long page = os.physicalPageSize();
            long base = reserve(0, 16 * page);
            os.map(base, 4 * page);
            long limit = os.addressLimit();
            List<Executable> calls = List.of(
                    () -> os.reserve(base + 1, page),
                    () -> os.reserve(-page, page),
                    () -> os.reserve(0, 0),
                    () -> os.reserve(0, -page),
                    () -> os.reserve(0, page + 1),
                    () -> os.reserve(0, limit + page),
                    () -> os.reserveExact(limit - page, 2 * page),
                    () -> os.reserveExact(Long.MAX_VALUE - page + 1, page),
                    () -> os.map(base + 8, page),
                    () -> os.map(base, page - 1),
                    () -> os.release(base, 0),
                    () -> os.fault(base, -page),
                    () -> os.free(base + 1, page),
                    () -> os.free(limit, page));
            for (var call : calls) {
                var error = assertThrows(IllegalArgumentException.class, call);
                assertTrue(error.getMessage().matches("\\w+\\(0x[0-9a-f]+, -?\\d+\\): .+"), error.getMessage());
            }
            assertAll(
                    () -> assertEquals(16 * page, os.reservedBytes()),
                    () -> assertEquals(4 * page, os.mappedBytes()),
                    () -> assertEquals(2, ProcMaps.read(base, base + 16 * page).size()));
        }

        @Test
        void rangesThisSpaceDoesNotHoldAreNeverTouched() {
            long page = os.physicalPageSize();
            try (var arena = Arena.ofConfined()) {
                var jvmMemory = arena.allocate(4 * page, page);
                jvmMemory.set(ValueLayout.JAVA_INT, 0, 99);
                long address = jvmMemory.address();
                assertAll(
                        () -> assertThrows(IllegalStateException.class, () -> os.free(address, page)),
                        () -> assertThrows(IllegalStateException.class, () -> os.fault(address, page)),
                        () -> assertThrows(IllegalStateException.class, () -> os.release(address, page)),
                        () -> assertThrows(IllegalStateException.class, () -> os.map(address, page)));
                assertEquals(99, jvmMemory.get(ValueLayout.JAVA_INT, 0));
            }
        }

        @Test
        void aMapTheKernelRefusesIsAnOutOfMemoryErrorNamingTheErrnoAndChangesNothing() throws Throwable {
            long base = reserve(0, 4L << 30);
            OutOfMemoryError error;
            try (var limit = new DataLimit(GiB)) {
                error = assertThrows(OutOfMemoryError.class, () -> os.map(base, 4L << 30));
            }
            assertTrue(error.getMessage().matches("mprotect\\(0x[0-9a-f]+, 4294967296\\) failed: ENOMEM \\(errno 12\\)"),
                    error.getMessage());
            assertEquals(0, os.mappedBytes());
            assertTrue(ProcMaps.read(base, base + (4L << 30)).stream().allMatch(ProcMaps.Region::inaccessible));
            os.map(base, 64 * MiB);
            assertEquals(64 * MiB, os.mappedBytes());
        }

        @Test
        void releasingAReservedRangeIsAnIllegalState() {
            long page = os.physicalPageSize();
            long base = reserve(0, 4 * page);
            var error = assertThrows(IllegalStateException.class, () -> os.release(base, page));
            assertTrue(error.getMessage().contains("reserved"), error.getMessage());
            assertEquals(0, os.releasedBytes());
        }

        @Test
        void failedSystemCallsNameTheirErrno() {
            var result = LinuxSystemCalls.munmap(0x1001, 4096);
            assertTrue(result.failed());
            assertEquals(22, result.errno());
            assertEquals("munmap(0x1001, 4096) failed: EINVAL (errno 22)",
                    LinuxSystemCalls.failure("munmap(0x1001, 4096)", result.errno()));
            assertEquals("mprotect(0x10000, 65536) failed: ENOMEM (errno 12)",
                    LinuxSystemCalls.failure(RangeArguments.call("mprotect", 0x10000, 65536), 12));
        }
    }

    @Test
    void threadsReserveMapWriteReleaseAndFreeAtOnceWithExactAccounting() throws Exception {
        long page = os.physicalPageSize();
        int threads = 4;
        try (var pool = Executors.newFixedThreadPool(threads)) {
            var tasks = new ArrayList<Callable<Long>>();
            for (int t = 0; t < threads; t++) {
                byte mark = (byte) (t + 1);
                tasks.add(() -> {
                    long checked = 0;
                    for (int round = 0; round < 50; round++) {
                        long size = (1 + round % 7) * 16 * page;
                        long base = os.reserve(0, size);
                        os.map(base, size);
                        var memory = segment(base, size);
                        touchEveryPage(memory, page, mark);
                        os.release(base, size / 2);
                        checked += memory.get(ValueLayout.JAVA_BYTE, size - page) == mark ? 1 : 0;
                        os.free(base, size);
                    }
                    return checked;
                });
            }
            for (var result : pool.invokeAll(tasks)) {
                assertEquals(50, result.get(), "every thread saw its own data");
            }
        }
        assertAll(
                () -> assertEquals(0, os.reservedBytes()),
                () -> assertEquals(0, os.mappedBytes()),
                () -> assertEquals(0, os.releasedBytes()));
    }
}
