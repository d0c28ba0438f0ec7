/*
 * Reading the process's own mappings and resident memory from procfs.
 */
package dev.sparseheap.os;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcMapsTest {

    @Test
    void listsTheProcessMappingsInUnsignedAddressOrder() {
        var regions = ProcMaps.read();
        assertFalse(regions.isEmpty());
        for (int i = 1; i < regions.size(); i++) {
            assertTrue(Long.compareUnsigned(regions.get(i - 1).end(), regions.get(i).start()) <= 0,
                    regions.get(i).toString());
        }
        assertTrue(regions.stream().anyMatch(r -> r.path().equals("[stack]")));
    }

    @Test
    void aMappingReadAgainInANewerShapeReplacesWhatItOverlaps() {
        var asRead = List.of(
                new ProcMaps.Region(0x1000, 0x5000, "rw-p", ""),
                new ProcMaps.Region(0x6000, 0x9000, "---p", ""),
                new ProcMaps.Region(0x3000, 0x4000, "r--p", "lib"),
                new ProcMaps.Region(0x8000, 0xa000, "rw-p", ""));
        assertEquals(List.of(
                new ProcMaps.Region(0x1000, 0x3000, "rw-p", ""),
                new ProcMaps.Region(0x3000, 0x4000, "r--p", "lib"),
                new ProcMaps.Region(0x8000, 0xa000, "rw-p", "")), ProcMaps.inAddressOrder(asRead));
    }

    @Test
    void findsTheMappingsOfARangeAndTheirResidentBytes() {
        try (var arena = Arena.ofConfined()) {
            long size = 8L << 20;
            var memory = arena.allocate(size, 4096);
            for (long offset = 0; offset < size; offset += 4096) {
                memory.set(ValueLayout.JAVA_BYTE, offset, (byte) 1);
            }
            long start = memory.address();
            var regions = ProcMaps.read(start, start + size);
            assertFalse(regions.isEmpty());
            assertTrue(regions.stream().allMatch(r -> r.overlaps(start, start + size) && r.readWrite()));
            assertTrue(ProcMaps.residentBytes(start, start + size) >= size);
            assertTrue(ProcMaps.processResidentBytes() >= size);
        }
    }

    @Test
    void aRangeNothingMapsHasNoMappingsAndNoResidentBytes() {
        long start = 0x10000;
        assertEquals(0, ProcMaps.read(start, start + 4096).size());
        assertEquals(0, ProcMaps.residentBytes(start, start + 4096));
    }
}
