package dev.sparseheap;

import dev.sparseheap.os.SimulatedAddressSpace;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every JFR event of the heap, recorded with jdk.jfr.Recording and read back from the file. */
class HeapEventsTest {

    private static final List<String> EVENTS = List.of("dev.sparseheap.AllocationSample", "dev.sparseheap.HeapSummary",
            "dev.sparseheap.ArenaGrowth", "dev.sparseheap.Scavenge", "dev.sparseheap.BadFree",
            "dev.sparseheap.AllocationFailure");

    @Test
    void everyEventIsRecordedAndReadBack(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("heap.jfr");
        long sampled;
        long interior;
        long wrong;
        try (Recording recording = new Recording()) {
            EVENTS.forEach(recording::enable);
            recording.enable("dev.sparseheap.HeapSummary").with("period", "endChunk");
            recording.start();
            try (SparseHeap heap = SparseHeap.builder().name("events-test")
                    .addressSpace(SimulatedAddressSpace.builder().addressBits(48).build())
                    .backgroundScavenger(false).memoryLimit(64 << 20).sampling(1).build()) {
                sampled = heap.malloc(100);
                interior = sampled + 16;
                assertThrows(IllegalArgumentException.class, () -> heap.free(interior));
                HeapAllocator child = heap.newAllocator("child");
                wrong = child.malloc(50);
                assertThrows(IllegalArgumentException.class, () -> heap.newAllocator("other").free(wrong));
                assertThrows(OutOfMemoryError.class, () -> heap.malloc(1L << 30));
                heap.free(heap.malloc(1 << 20));
                assertTrue(heap.releaseMemory() > 0);
                recording.stop();
                child.free(wrong);
            }
            recording.dump(file);
        }
        Map<String, List<RecordedEvent>> byName = RecordingFile.readAllEvents(file).stream()
                .collect(Collectors.groupingBy(event -> event.getEventType().getName()));
        assertEquals(EVENTS.stream().sorted().toList(), byName.keySet().stream().sorted().toList());

        RecordedEvent sample = byName.get("dev.sparseheap.AllocationSample").getFirst();
        assertEquals(sampled, sample.getLong("address"));
        assertEquals(100, sample.getLong("size"));
        assertEquals("events-test", sample.getString("allocator"));
        assertEquals(100, sample.getLong("weight"));
        assertTrue(sample.getStackTrace().getFrames().stream()
                .anyMatch(frame -> frame.getMethod().getName().equals("everyEventIsRecordedAndReadBack")));
        assertTrue(byName.get("dev.sparseheap.AllocationSample").stream()
                .anyMatch(event -> event.getString("allocator").equals("child") && event.getLong("address") == wrong));

        RecordedEvent growth = byName.get("dev.sparseheap.ArenaGrowth").getFirst();
        assertEquals("SPARSE", growth.getString("layout"));
        assertEquals(0x00c0L << 32, growth.getLong("address"));
        assertTrue(growth.getBoolean("hintHeld"));
        assertFalse(growth.getBoolean("fallback"));

        RecordedEvent scavenge = byName.get("dev.sparseheap.Scavenge").getFirst();
        assertEquals("explicit", scavenge.getString("trigger"));
        assertTrue(scavenge.getLong("releasedBytes") >= 1 << 20);

        Map<String, RecordedEvent> badFrees = byName.get("dev.sparseheap.BadFree").stream()
                .collect(Collectors.toMap(event -> event.getString("kind"), event -> event));
        assertEquals(interior, badFrees.get("interior").getLong("address"));
        assertEquals(wrong, badFrees.get("wrong allocator").getLong("address"));
        assertEquals("other", badFrees.get("wrong allocator").getString("allocator"));
        assertTrue(badFrees.get("interior").getStackTrace().getFrames().stream()
                .anyMatch(frame -> frame.getMethod().getName().startsWith("lambda$everyEventIsRecordedAndReadBack")));

        RecordedEvent failure = byName.get("dev.sparseheap.AllocationFailure").getFirst();
        assertEquals(1L << 30, failure.getLong("size"));
        assertEquals("events-test", failure.getString("allocator"));
        assertTrue(failure.getString("reason").contains("memory limit"), failure.getString("reason"));

        RecordedEvent summary = byName.get("dev.sparseheap.HeapSummary").stream()
                .filter(event -> event.getString("heap").equals("events-test")).findFirst().orElseThrow();
        assertEquals(2, summary.getLong("objects"));
        assertTrue(summary.getLong("mappedBytes") >= summary.getLong("inUseBytes"));
        assertTrue(summary.getLong("releasedBytes") >= 1 << 20);
        assertTrue(summary.getString("allocators").matches("(child=64|other=0),(child=64|other=0)"),
                summary.getString("allocators"));
    }
}
