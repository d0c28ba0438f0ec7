package dev.sparseheap;

import dev.sparseheap.os.SimulatedAddressSpace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Heap profiles: estimates per allocation site at the profiling sampling rate, frees removing
 * samples from any thread, the debug mode, the peak, and the three outputs.
 */
class HeapProfileTest {

    private static final long SEED = 0x5eed_cafeL;
    private static final long SMALL_SIZE = 200;
    private static final long LARGE_SIZE = 48 << 10;
    /** Live bytes per site: 400 mean intervals, so each estimate rests on about 400 samples. */
    private static final long BYTES_PER_SITE = 400 * SparseHeap.PROFILING_SAMPLING_INTERVAL;

    private static SparseHeap simulated(long sampling) {
        return SparseHeap.builder().addressSpace(SimulatedAddressSpace.builder().addressBits(48).build())
                .backgroundScavenger(false).sampling(sampling).samplingSeed(SEED).build();
    }

    private static long smallSite(SparseHeap heap) {
        return heap.malloc(SMALL_SIZE);
    }

    private static long largeSite(SparseHeap heap) {
        return heap.malloc(LARGE_SIZE);
    }

    private static HeapProfile.Site siteOf(HeapProfile profile, String method) {
        return profile.sites().stream().filter(site -> site.stack().getFirst().getMethodName().equals(method))
                .findFirst().orElseThrow(() -> new AssertionError("no site " + method + " in\n" + profile));
    }

    private static void assertWithin(long expected, long estimate, double tolerance, String what) {
        assertTrue(Math.abs(estimate - expected) <= tolerance * expected,
                "%s: estimate %d, true %d (seed %x)".formatted(what, estimate, expected, SEED));
    }

    @Test
    void twoSitesOfKnownSizesAreEstimatedWithinAQuarterAtTheProfilingRate() {
        try (SparseHeap heap = simulated(SparseHeap.PROFILING_SAMPLING_INTERVAL)) {
            long smallCount = BYTES_PER_SITE / SMALL_SIZE;
            long largeCount = BYTES_PER_SITE / LARGE_SIZE;
            for (long i = 0; i < Math.max(smallCount, largeCount); i++) {
                if (i < smallCount) {
                    smallSite(heap);
                }
                if (i < largeCount) {
                    largeSite(heap);
                }
            }
            HeapProfile profile = heap.profile();
            HeapProfile.Site small = siteOf(profile, "smallSite");
            HeapProfile.Site large = siteOf(profile, "largeSite");
            assertWithin(smallCount * SMALL_SIZE, small.bytes(), 0.25, "small site bytes");
            assertWithin(smallCount, small.objects(), 0.25, "small site objects");
            assertWithin(largeCount * LARGE_SIZE, large.bytes(), 0.25, "large site bytes");
            assertWithin(largeCount, large.objects(), 0.25, "large site objects");
            assertEquals("twoSitesOfKnownSizesAreEstimatedWithinAQuarterAtTheProfilingRate", small.stack().get(1).getMethodName());
            assertEquals(2, profile.sites().size(), profile::toString);
        }
    }

    @Test
    void freesFromAnotherThreadRemoveSamplesAndThePeakRemains() throws Exception {
        try (SparseHeap heap = simulated(1); ExecutorService other = Executors.newSingleThreadExecutor()) {
            List<Long> addresses = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                addresses.add(smallSite(heap));
            }
            long kept = largeSite(heap);
            assertEquals(1000 * SMALL_SIZE + LARGE_SIZE, heap.profile().bytes());
            other.submit(() -> addresses.forEach(heap::free)).get();
            HeapProfile live = heap.profile();
            assertEquals(1, live.sites().size());
            assertEquals(LARGE_SIZE, live.bytes());
            assertEquals(1, live.objects());
            HeapProfile peak = heap.peakProfile();
            assertTrue(peak.bytes() >= 1000 * SMALL_SIZE * 63 / 64, peak::toString);
            heap.free(kept);
            assertEquals(0, heap.profile().sites().size());
        }
    }

    @Test
    void reallocMovesTheSampleAndSegmentsAreSampledToo() {
        try (SparseHeap heap = SparseHeap.builder().sampling(1).backgroundScavenger(false).build()) {
            long p = smallSite(heap);
            long moved = heap.realloc(p, 10_000);
            assertEquals(List.of(10_000L), heap.profile().sites().stream().map(HeapProfile.Site::bytes).toList());
            var segment = heap.allocate(64, 16);
            assertEquals(2, heap.profile().objects());
            heap.free(segment);
            heap.free(moved);
            assertEquals(0, heap.profile().objects());
        }
    }

    @Test
    void outputsNameTheSites() {
        try (SparseHeap heap = simulated(1)) {
            smallSite(heap);
            for (int i = 0; i < 2; i++) {
                largeSite(heap);
            }
            HeapProfile profile = heap.profile();
            String text = profile.toString();
            assertTrue(text.contains("at dev.sparseheap.HeapProfileTest.largeSite"), text);
            assertTrue(text.indexOf("largeSite") < text.indexOf("smallSite"), text);
            StringBuilder folded = new StringBuilder();
            profile.writeFolded(folded);
            String[] lines = folded.toString().split("\n");
            assertEquals(2, lines.length, folded::toString);
            assertTrue(lines[0].startsWith("heap;") && lines[0].contains(";dev.sparseheap.HeapProfileTest.largeSite:")
                    && lines[0].endsWith(" " + 2 * LARGE_SIZE), lines[0]);
            StringBuilder json = new StringBuilder();
            profile.writeJson(json);
            assertTrue(json.toString().startsWith("{\"heap\":\"\",\"samplingInterval\":1,\"bytes\":" + (2 * LARGE_SIZE + SMALL_SIZE)
                    + ",\"objects\":3,\"sites\":[{\"allocator\":\"heap\",\"bytes\":" + 2 * LARGE_SIZE), json.toString());
        }
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SparseHeap.builder().sampling(-1));
        assertThrows(IllegalArgumentException.class, () -> SparseHeap.builder().name(""));
        assertThrows(IllegalArgumentException.class, () -> SparseHeap.builder().softLimit(0, wanted -> { }));
        try (SparseHeap heap = simulated(0)) {
            assertThrows(IllegalArgumentException.class, () -> heap.newAllocator("a/b"));
            assertThrows(IllegalArgumentException.class, () -> heap.newAllocator("a", 0));
            HeapAllocator a = heap.newAllocator("a");
            assertThrows(IllegalArgumentException.class, () -> heap.newAllocator("a"));
            a.close();
            heap.newAllocator("a").close();
        }
    }

    @Test
    void samplingOffGivesAnEmptyProfileThatSaysSo() {
        try (SparseHeap heap = simulated(0)) {
            smallSite(heap);
            assertEquals(0, heap.profile().sites().size());
            assertTrue(heap.profile().toString().contains("sampling is off"));
        }
    }
}
