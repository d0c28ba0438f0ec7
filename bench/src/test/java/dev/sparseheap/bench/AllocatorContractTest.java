package dev.sparseheap.bench;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Allocator contract, for every registered allocator: a peer whose library is absent is
 * skipped with the reason, never silently.
 */
class AllocatorContractTest {

    static List<Allocators.Entry> allocators() {
        return Allocators.all();
    }

    /** The JDK arenas free by batch on the allocating thread only. */
    static List<Allocators.Entry> individuallyFreeing() {
        return Allocators.all().stream().filter(e -> !e.name().startsWith("jdk-")).toList();
    }

    private static Allocator open(Allocators.Entry entry) {
        Assumptions.assumeTrue(entry.available(), () -> entry.name() + " skipped: " + entry.missingReason().orElseThrow());
        return entry.create();
    }

    @ParameterizedTest
    @MethodSource("allocators")
    void allocatesDistinctWritableObjectsThatKeepTheirContents(Allocators.Entry entry) {
        try (Allocator allocator = open(entry)) {
            assertEquals(entry.name(), allocator.name());
            long[] handles = new long[100];
            for (int i = 0; i < handles.length; i++) {
                handles[i] = allocator.malloc(8 + 40L * i);
                NativeMemory.fill(allocator.address(handles[i]), 8 + 40L * i, (byte) i);
            }
            for (int i = 0; i < handles.length; i++) {
                long address = allocator.address(handles[i]);
                assertEquals((byte) i, NativeMemory.getByte(address));
                assertEquals((byte) i, NativeMemory.getByte(address + 7 + 40L * i));
                allocator.free(handles[i]);
            }
            allocator.endBatch();
        }
    }

    @ParameterizedTest
    @MethodSource("allocators")
    void callocZeroesAlignedAllocationIsAlignedAndReallocKeepsContents(Allocators.Entry entry) {
        try (Allocator allocator = open(entry)) {
            long dirty = allocator.malloc(4096);
            NativeMemory.fill(allocator.address(dirty), 4096, (byte) 0x5a);
            allocator.free(dirty);
            long zeroed = allocator.calloc(4096);
            assertTrue(NativeMemory.isZero(allocator.address(zeroed), 4096), "calloc memory must read as zero");

            long aligned = allocator.mallocAligned(100, 4096);
            assertEquals(0, allocator.address(aligned) % 4096, "address of a 4096-aligned object");

            long grown = allocator.malloc(16);
            NativeMemory.putLong(allocator.address(grown), 0x1122_3344_5566_7788L);
            grown = allocator.realloc(grown, 100_000);
            assertEquals(0x1122_3344_5566_7788L, NativeMemory.getLong(allocator.address(grown)));
            NativeMemory.putByte(allocator.address(grown) + 99_999, (byte) 1);

            allocator.free(zeroed);
            allocator.free(aligned);
            allocator.free(grown);
            allocator.endBatch();
        }
    }

    @ParameterizedTest
    @MethodSource("individuallyFreeing")
    void objectsMayBeFreedByAnotherThread(Allocators.Entry entry) throws Exception {
        try (Allocator allocator = open(entry)) {
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                long[] handles = CompletableFuture.supplyAsync(() -> {
                    long[] made = new long[1000];
                    for (int i = 0; i < made.length; i++) {
                        made[i] = allocator.malloc(64);
                        NativeMemory.putByte(allocator.address(made[i]), (byte) i);
                    }
                    return made;
                }, other).get();
                for (int i = 0; i < handles.length; i++) {
                    assertEquals((byte) i, NativeMemory.getByte(allocator.address(handles[i])));
                    allocator.free(handles[i]);
                }
                long again = CompletableFuture.supplyAsync(() -> allocator.malloc(64), other).get();
                assertNotEquals(0, allocator.address(again));
                allocator.free(again);
            } finally {
                other.shutdown();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("allocators")
    void everyAllocatorFreesIndividuallyExceptTheJdkArenas(Allocators.Entry entry) {
        try (Allocator allocator = open(entry)) {
            assertEquals(!entry.name().startsWith("jdk-"), allocator.individualFree());
        }
    }
}
