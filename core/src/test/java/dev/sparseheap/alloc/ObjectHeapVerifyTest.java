package dev.sparseheap.alloc;

import dev.sparseheap.ArenaLayout;
import dev.sparseheap.arena.ArenaSet;
import dev.sparseheap.os.SimulatedAddressSpace;
import dev.sparseheap.page.PageHeap;
import dev.sparseheap.page.PageHeapConfig;
import dev.sparseheap.page.PageArena;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verification finds broken invariants of the object layer, and nothing in a sound heap. */
class ObjectHeapVerifyTest {

    private PageHeap pages;
    private ObjectHeap objects;

    @BeforeEach
    void heap() {
        SimulatedAddressSpace space = SimulatedAddressSpace.builder().addressBits(48).build();
        pages = new PageHeap(ArenaSet.create(space, ArenaLayout.SPARSE, PageArena.FACTORY),
                PageHeapConfig.defaults().withBackgroundScavenger(false));
        objects = new ObjectHeap(pages, true, new BadFrees(BadFrees::logWarning), (address, bytes) -> { });
    }

    @AfterEach
    void close() {
        pages.close();
    }

    private List<String> problems() {
        List<String> problems = new ArrayList<>();
        objects.verify(problems);
        return problems;
    }

    @Test
    void aSoundHeapHasNoProblems() {
        for (int i = 0; i < 1000; i++) {
            long address = objects.allocate(i * 37L);
            if (i % 3 == 0) {
                objects.free(address);
            }
        }
        assertEquals(List.of(), problems());
    }

    @Test
    void aSpanFreedBehindTheObjectLayersBackIsReported() {
        long address = objects.allocate(100_000);
        pages.free(pages.spanOf(address));
        List<String> problems = problems();
        assertTrue(problems.stream().anyMatch(problem -> problem.contains("not live in the span map")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(problem -> problem.contains("in use")), problems.toString());
    }

    @Test
    void aSpanInTheWrongStateIsReported() {
        long address = objects.allocate(64);
        SmallSpan span = (SmallSpan) pages.spanOf(address);
        span.state = SmallSpan.FULL;
        List<String> problems = problems();
        assertTrue(problems.stream().anyMatch(problem -> problem.contains("is current in a cache but its state is 3")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(problem -> problem.contains("misplaced")), problems.toString());
    }
}
