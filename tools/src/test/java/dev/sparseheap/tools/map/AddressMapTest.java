package dev.sparseheap.tools.map;

import dev.sparseheap.ArenaLayout;
import dev.sparseheap.ArenaRange;
import dev.sparseheap.arena.ArenaSet;
import dev.sparseheap.os.SimulatedAddressSpace;
import dev.sparseheap.page.PageArena;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The address map of a heap: entries, gaps, text and SVG. */
class AddressMapTest {

    private static final long MIB = 1L << 20;
    private static final long HINT = 0x00c0L << 32;

    @Test
    void aMapListsHeapHintsForeignMappingsAndTheGapsBetweenInAddressOrder() {
        var space = SimulatedAddressSpace.builder().build();
        try (var set = ArenaSet.create(space, ArenaLayout.SPARSE, PageArena.FACTORY)) {
            set.grow(128 * MIB);
            set.keepHints(2);
            List<MapEntry> entries = AddressMap.of(set.snapshot(List.of()), 0);
            for (int i = 1; i < entries.size(); i++) {
                assertTrue(entries.get(i - 1).base() <= entries.get(i).base(), entries.toString());
            }
            MapEntry heap = entries.stream().filter(e -> e.kind() == MapEntry.Kind.HEAP).findFirst().orElseThrow();
            assertEquals(new MapEntry(HINT, 128 * MIB, MapEntry.Kind.HEAP, "2 arenas"), heap);
            assertEquals(2, entries.stream().filter(e -> e.kind() == MapEntry.Kind.HINT).count());
            assertEquals(MapEntry.Kind.FOREIGN, entries.getFirst().kind(), "the program image comes first");
            long covered = entries.getFirst().base();
            for (MapEntry entry : entries) {
                assertEquals(covered, entry.base(), "no hole in " + entries);
                covered = entry.end();
            }
        }
    }

    @Test
    void unusedReservationsAreShownApartFromTheHeap() {
        var space = SimulatedAddressSpace.builder().build();
        try (var set = ArenaSet.create(space, ArenaLayout.CONTIGUOUS, PageArena.FACTORY)) {
            set.grow(MIB);
            List<MapEntry> entries = AddressMap.of(set.snapshot(List.of()), 0).stream()
                    .filter(e -> e.kind() != MapEntry.Kind.FOREIGN && e.kind() != MapEntry.Kind.GAP).toList();
            assertEquals(List.of(
                    new MapEntry(HINT, MIB, MapEntry.Kind.HEAP, "1 arena"),
                    new MapEntry(HINT + MIB, (512L << 30) + 8192 - MIB, MapEntry.Kind.RESERVED, "held, not used yet"),
                    new MapEntry(HINT + (512L << 30) + 8192, 0, MapEntry.Kind.HINT, "next hint, grows up")), entries);
        }
    }

    @Test
    void rangesAreSubtractedMergedAndClustered() {
        var a = new ArenaRange(0x10000, 0x10000);
        var b = new ArenaRange(0x18000, 0x10000);
        var far = new ArenaRange(0x30000, 0x1000);
        assertEquals(List.of(new ArenaRange(0x10000, 0x18000), far), AddressMap.cluster(List.of(far, b, a), 0));
        assertEquals(List.of(new ArenaRange(0x10000, 0x18000), far), AddressMap.cluster(List.of(far, b, a), 0x7fff));
        assertEquals(List.of(new ArenaRange(0x10000, 0x21000)), AddressMap.cluster(List.of(far, b, a), 0x8000));
        assertEquals(List.of(new ArenaRange(0x10000, 0x4000), new ArenaRange(0x1c000, 0xc000)),
                AddressMap.subtract(List.of(a, b), List.of(new ArenaRange(0x14000, 0x8000))));
    }

    @Test
    void textShowsOneLinePerEntryWithSizesAndSvgIsAWellFormedDrawingOfTheSameEntries() {
        var entries = List.of(
                new MapEntry(0x10000, 0x10000, MapEntry.Kind.FOREIGN, "image"),
                new MapEntry(0x20000, 0x3fe0000, MapEntry.Kind.GAP, "free"),
                new MapEntry(0x4000000, 0x4000000, MapEntry.Kind.HEAP, "1 arenas"),
                new MapEntry(0x8000000, 0, MapEntry.Kind.HINT, "next hint, grows up"));
        String text = AddressMapText.render(entries);
        assertEquals(4, text.lines().count(), text);
        assertTrue(text.lines().toList().get(2).matches("\\s+0x04000000-0x08000000\\s+64 MiB\\s+heap\\s+1 arenas"), text);
        String svg = AddressMapSvg.render("a <map> & more", entries);
        assertTrue(svg.startsWith("<svg ") && svg.strip().endsWith("</svg>"), svg);
        assertTrue(svg.contains("a &lt;map&gt; &amp; more"), svg);
        assertEquals(3, svg.split("<rect x=").length - 1, "one band per range, hints as lines");
        assertTrue(AddressMapSvg.bandHeight(entries.get(1)) > AddressMapSvg.bandHeight(entries.get(0)),
                "bigger ranges get taller bands");
    }
}
