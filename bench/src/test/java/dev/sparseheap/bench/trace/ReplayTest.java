/*
 * Replay as a specification: one allocator call per event in order, one byte written in every
 * 4 KiB of new memory, the child's measurement, and the result line that carries it to the parent.
 */
package dev.sparseheap.bench.trace;

import dev.sparseheap.bench.GlibcAllocator;
import dev.sparseheap.bench.NativeMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replaying traces, the child's measurement and its result line. */
class ReplayTest {

    @Test
    void replayCallsTheAllocatorForEveryEventAndTouchesEveryPageOfNewMemory() throws IOException {
        Trace trace = TraceParser.parse("t", new ByteArrayInputStream("""
                a 1 10000
                z 2 100
                m 3 64 4096
                r 1 20000
                f 2
                f 3
                f 1
                """.getBytes(StandardCharsets.US_ASCII)));
        var calls = new ArrayList<String>();
        try (var recorder = new RecordingAllocator(new GlibcAllocator(), calls)) {
            TraceReplayer.replay(trace, recorder);
        }
        assertEquals(List.of("malloc 10000", "calloc 100", "aligned 64/4096", "realloc 20000", "free", "free", "free"), calls);
    }

    @Test
    void theChildMeasuresTimeAndResidentMemoryOfItsReplay(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("small.trace");
        var text = new StringBuilder("# sparseheap-trace 1\n");
        for (int id = 1; id <= 64; id++) {
            text.append("a ").append(id).append(" 1048576\n");
        }
        Files.writeString(file, text);
        ReplayResult result = ReplayChild.run("sparseheap", file, 3);
        assertEquals(64, result.events());
        assertEquals(64L << 20, result.peakLiveBytes());
        assertTrue(result.peakRssBytes() >= result.baselineRssBytes(), "the peak is at least the baseline");
        assertEquals(3, result.passNanos().size(), "one cold pass and two warm ones, each timed");
        assertTrue(result.passNanos().stream().allMatch(nanos -> nanos > 0), result.passNanos().toString());
        assertEquals(result.passNanos().getFirst(), result.coldNanos());
    }

    @Test
    void theColdPassIsTheFirstAndTheWarmTimeTheMedianOfTheOthers() {
        var result = new ReplayResult("glibc", "t", 10, List.of(900L, 300L, 100L, 200L), 0, 0, 1);
        assertEquals(900, result.coldNanos());
        assertEquals(200.0, result.warmNanos());
        assertEquals(10 / 900e-9, result.operationsPerSecond(), 1e-6);
        assertTrue(Double.isNaN(new ReplayResult("glibc", "t", 10, List.of(900L), 0, 0, 1).warmNanos()),
                "with one pass there is no warm time");
        assertThrows(IllegalArgumentException.class, () -> new ReplayResult("glibc", "t", 10, List.of(), 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> ReplayChild.run("glibc", Path.of("x"), 0));
    }

    @Test
    void theResultLineRoundTripsAndIsFoundAmongOtherOutput() {
        var result = new ReplayResult("mimalloc", "x.trace.gz", 10, List.of(2000L, 1000L, 1200L), 100, 400, 150);
        ReplayResult parsed = ReplayResult.fromOutput("warming up\n" + result.toLine() + "\nbye\n");
        assertEquals(result, parsed);
        assertEquals(300, parsed.peakRssAboveBaseline());
        assertEquals(2.0, parsed.fragmentation());
        assertEquals(5e6, parsed.operationsPerSecond());
    }

    @Test
    void missingOrMalformedResultLinesAreClearErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReplayResult.fromOutput("crashed\n"))
                .getMessage().contains("no 'sparseheap-replay-result' line"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ReplayResult.fromOutput(ReplayResult.PREFIX + " allocator=x events=1\n"))
                .getMessage().contains("missing field"));
        assertThrows(IllegalArgumentException.class, () -> ReplayResult.fromOutput(ReplayResult.PREFIX
                + " allocator=x trace=t events=1 passNanos=5,x baselineRss=1 peakRss=2 peakLive=3\n"));
        assertThrows(IllegalArgumentException.class, () -> ReplayChild.run("no-such-allocator", Path.of("x"), 1));
    }

    /** Records the calls a replay makes while delegating them; checks pages were touched. */
    private record RecordingAllocator(GlibcAllocator delegate, List<String> calls) implements dev.sparseheap.bench.Allocator {
        @Override
        public String name() {
            return "recording";
        }

        @Override
        public long malloc(long size) {
            calls.add("malloc " + size);
            return zeroed(delegate.malloc(size), size);
        }

        @Override
        public long calloc(long size) {
            calls.add("calloc " + size);
            return delegate.calloc(size);
        }

        @Override
        public long mallocAligned(long size, long alignment) {
            calls.add("aligned " + size + "/" + alignment);
            long address = delegate.mallocAligned(size, alignment);
            assertEquals(0, address % alignment);
            return address;
        }

        @Override
        public long realloc(long handle, long size) {
            calls.add("realloc " + size);
            return delegate.realloc(handle, size);
        }

        @Override
        public void free(long handle) {
            calls.add("free");
            assertEquals(1, NativeMemory.getByte(handle), "the replay writes the first byte of every object");
            if (calls.size() == 7) {
                for (long offset : new long[] {4096, 8192, 10000, 14096, 18192}) {
                    assertEquals(1, NativeMemory.getByte(handle + offset),
                            "object 1 is touched every 4 KiB, and after its resize every 4 KiB of the new part; offset " + offset);
                }
            }
            delegate.free(handle);
        }

        @Override
        public void close() {
        }

        private static long zeroed(long address, long size) {
            NativeMemory.fill(address, size, (byte) 0);
            return address;
        }
    }
}
