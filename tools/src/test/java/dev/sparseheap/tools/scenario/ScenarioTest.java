package dev.sparseheap.tools.scenario;

import dev.sparseheap.ArenaLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Stream;

import static dev.sparseheap.ArenaLayout.CONTIGUOUS;
import static dev.sparseheap.ArenaLayout.SPARSE;
import static dev.sparseheap.tools.scenario.Outcome.OK;
import static dev.sparseheap.tools.scenario.Outcome.OUT_OF_MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every seed scenario under both layouts: the sparse heap survives what broke the contiguous one. */
class ScenarioTest {

    /** Expected outcome per scenario: {sparse, contiguous}. */
    private static final Map<Scenario, Outcome[]> EXPECTED = Map.of(
            Scenario.COLLISION, new Outcome[] {OK, OUT_OF_MEMORY},
            Scenario.HEAP_OVER_512G, new Outcome[] {OK, OUT_OF_MEMORY},
            Scenario.HUGE_OBJECT, new Outcome[] {OK, OUT_OF_MEMORY},
            Scenario.HIGH_MAPPING_32, new Outcome[] {OK, OK},
            Scenario.NON_MONOTONIC_32, new Outcome[] {OK, OK},
            Scenario.WINDOWS, new Outcome[] {OK, OK},
            Scenario.ULIMIT_V, new Outcome[] {OK, OK},
            Scenario.PAGES_64K, new Outcome[] {OK, OK},
            Scenario.SANITIZER_SHADOW, new Outcome[] {OK, OK},
            Scenario.ADDRESS_SPACE_FULL, new Outcome[] {OUT_OF_MEMORY, OUT_OF_MEMORY});

    static Stream<Arguments> scenariosAndLayouts() {
        return Scenario.all().stream().flatMap(s -> Stream.of(Arguments.of(s, SPARSE), Arguments.of(s, CONTIGUOUS)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("scenariosAndLayouts")
    void everyScenarioEndsAsTheSeedsSayUnderBothLayouts(Scenario scenario, ArenaLayout layout) {
        ScenarioResult result = scenario.result(layout);
        Outcome expected = EXPECTED.get(scenario)[layout == SPARSE ? 0 : 1];
        assertEquals(expected, result.outcome(), result.toString());
        assertEquals(scenario.scenarioName(), result.name());
        assertEquals(layout, result.layout());
        assertTrue(result.mappedBytes() > 0 || scenario == Scenario.HUGE_OBJECT, result.toString());
        assertTrue(result.reservedBytes() >= result.mappedBytes(), result.toString());
    }

    @Test
    void everyScenarioHasAnExpectation() {
        assertEquals(Scenario.all().size(), EXPECTED.size());
    }

    @Test
    void aHighFirstMappingOn32BitCostsTheContiguousHeapMetadataForAllTheSpaceBelow() {
        ScenarioResult sparse = Scenario.HIGH_MAPPING_32.result(SPARSE);
        ScenarioResult contiguous = Scenario.HIGH_MAPPING_32.result(CONTIGUOUS);
        assertEquals(sparse.mappedBytes(), contiguous.mappedBytes());
        assertTrue(contiguous.arenas() > 10 * sparse.arenas(), contiguous + " vs " + sparse);
        assertTrue(contiguous.metadataBytes() > 10 * sparse.metadataBytes(), contiguous + " vs " + sparse);
    }

    @Test
    void on32BitMetadataFollowsTheFramesThatHaveItUnderBothLayouts() {
        for (Scenario scenario : new Scenario[] {Scenario.HIGH_MAPPING_32, Scenario.NON_MONOTONIC_32, Scenario.ADDRESS_SPACE_FULL}) {
            ScenarioResult sparse = scenario.result(SPARSE);
            ScenarioResult contiguous = scenario.result(CONTIGUOUS);
            double arenaRatio = (double) contiguous.arenas() / sparse.arenas();
            double metadataRatio = (double) contiguous.metadataBytes() / sparse.metadataBytes();
            assertEquals(arenaRatio, metadataRatio, 0.05 * arenaRatio, contiguous + " vs " + sparse);
        }
    }

    @Test
    void theSparseHeapHoldsNoMoreAddressSpaceThanItUsesOn64Bit() {
        ScenarioResult sparse = Scenario.WINDOWS.result(SPARSE);
        ScenarioResult contiguous = Scenario.WINDOWS.result(CONTIGUOUS);
        assertEquals(sparse.mappedBytes(), sparse.reservedBytes());
        assertTrue(contiguous.reservedBytes() >= 512L << 30, contiguous.toString());
    }

    @Test
    void aRunKeepsASnapshotOfItsHeapForDrawingAndFreesTheHeap() {
        ScenarioRun run = Scenario.HUGE_OBJECT.run(SPARSE);
        assertEquals(run.result().arenas(), run.layout().arenas().size());
        assertEquals(run.result().reservedBytes(), run.layout().reservedBytes());
        assertEquals(run.result().metadataBytes(), run.layout().metadataBytes());
        assertEquals(0, run.space().reservedBytes(), "the heap's reservations are freed");
    }

    @Test
    void scenariosAreFoundByTheirCommandLineNames() {
        assertEquals(Scenario.HEAP_OVER_512G, Scenario.byName("heap-over-512g"));
        assertEquals(Scenario.PAGES_64K, Scenario.byName("64K-pages"));
        var unknown = assertThrows(IllegalArgumentException.class, () -> Scenario.byName("nope"));
        assertTrue(unknown.getMessage().contains("collision"), unknown.getMessage());
    }
}
