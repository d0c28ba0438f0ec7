package dev.sparseheap.bench.workload;

import dev.sparseheap.bench.Allocator;
import dev.sparseheap.bench.GlibcAllocator;
import dev.sparseheap.bench.JdkArenaAllocator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every workload runs tiny on glibc with its own invariant checked, and catches a broken allocator. */
class WorkloadsTest {

    private static final double TINY = 0.002;

    static List<Workload> workloads() {
        return Workloads.all();
    }

    @ParameterizedTest
    @MethodSource("workloads")
    void runsTinyOnGlibcWithEveryObjectReadBackIntact(Workload workload) {
        try (Allocator glibc = new GlibcAllocator()) {
            long calls = workload.run(glibc, workload.threads(2), TINY);
            assertTrue(calls > 0, workload.name() + " reports the allocator calls it made");
            assertFalse(workload.parameters(2, 1.0).isBlank());
        }
    }

    @ParameterizedTest
    @MethodSource("workloads")
    void batchWorkloadsRunOnTheJdkArenasAndOthersSayTheyCannot(Workload workload) {
        try (Allocator arenas = new JdkArenaAllocator(JdkArenaAllocator.Kind.CONFINED)) {
            assertEquals(workload.batchMapping().isPresent(), workload.applicableTo(arenas));
            if (workload.applicableTo(arenas)) {
                assertTrue(workload.run(arenas, workload.threads(2), TINY) > 0);
            }
        }
    }

    @Test
    void anAllocatorThatHandsOutOverlappingMemoryIsCaught() {
        for (Workload workload : Workloads.named(List.of("larson", "glibc-thread", "xmalloc-test", "mstress"))) {
            try (Allocator broken = new OverlappingAllocator()) {
                var failure = assertThrows(IllegalStateException.class, () -> workload.run(broken, 2, TINY), workload.name());
                assertTrue(failure.getMessage().contains("lost its contents"), failure.getMessage());
            }
        }
    }

    @Test
    void namesAreUniqueAndUnknownNamesAreClearErrors() {
        assertEquals(Workloads.all().size(), Workloads.all().stream().map(Workload::name).distinct().count());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Workloads.named(List.of("nope")))
                .getMessage().contains("unknown workload 'nope'"));
    }

    /** Every object starts at the same address: stamps of different sizes clobber each other. */
    private static final class OverlappingAllocator implements Allocator {
        private final GlibcAllocator glibc = new GlibcAllocator();
        private final long shared = glibc.malloc(16 << 20);

        @Override
        public String name() {
            return "overlapping";
        }

        @Override
        public long malloc(long size) {
            return shared;
        }

        @Override
        public long calloc(long size) {
            return shared;
        }

        @Override
        public long mallocAligned(long size, long alignment) {
            return shared;
        }

        @Override
        public long realloc(long handle, long size) {
            return shared;
        }

        @Override
        public void free(long handle) {
        }

        @Override
        public void close() {
            glibc.free(shared);
        }
    }
}
