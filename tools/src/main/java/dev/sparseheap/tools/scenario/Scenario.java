/*
 * The seed scenarios: each is a simulated address space with a story (foreign mappings,
 * limits, semantics) and a driver that grows a heap in it. Every scenario runs under both
 * layouts on a fresh space, so the sparse design of seed 004 can be compared with the
 * contiguous heap it replaced, failure modes included. A run never throws: whatever happens
 * becomes a ScenarioResult (OK, OUT_OF_MEMORY for a clean refusal, ERROR for a defect).
 */
package dev.sparseheap.tools.scenario;

import dev.sparseheap.ArenaLayout;
import dev.sparseheap.arena.ArenaSet;
import dev.sparseheap.os.SimulatedAddressSpace;
import dev.sparseheap.os.SimulatedAddressSpace.Semantics;
import dev.sparseheap.page.PageArena;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The catalogue of arena scenarios.
 *
 * <p>Immutable; {@link #run} builds a fresh space and heap each time, so runs are independent
 * and may happen on different threads.
 */
public enum Scenario {
    /** Foreign mappings appear at the next hint again and again while the heap grows. */
    COLLISION("collision", "a foreign mapping appears at the next hint, five times",
            () -> SimulatedAddressSpace.builder().build(), ScenarioDrivers::collision),
    /** The heap grows past 600 GiB. */
    HEAP_OVER_512G("heap-over-512g", "grow the heap to 640 GiB",
            () -> SimulatedAddressSpace.builder().build(), ScenarioDrivers::heapOver512G),
    /** One 600 GiB region. */
    HUGE_OBJECT("huge-object", "one 600 GiB region",
            () -> SimulatedAddressSpace.builder().build(), ScenarioDrivers::hugeObject),
    /** 32-bit, low memory taken: the first block lands high. */
    HIGH_MAPPING_32("32bit-high-mapping", "32-bit, low 2.5 GiB taken, so the heap starts high",
            () -> SimulatedAddressSpace.builder().addressBits(32)
                    .foreignMapping(0x2000_0000L, 0xa000_0000L).build(),
            ScenarioDrivers::highMapping32),
    /** 32-bit, the system hands back blocks below the current one. */
    NON_MONOTONIC_32("32bit-nonmonotonic", "32-bit, low memory and the top taken, blocks come top-down",
            () -> SimulatedAddressSpace.builder().addressBits(32)
                    .foreignMapping(0x0900_0000L, 0x3700_0000L)
                    .foreignMapping(0xf000_0000L, 0x1000_0000L).build(),
            ScenarioDrivers::nonMonotonic32),
    /** Windows semantics, first hints taken. */
    WINDOWS("windows", "Windows reservations, the first three hints taken",
            () -> SimulatedAddressSpace.builder().semantics(Semantics.WINDOWS)
                    .foreignMapping(0x00c0L << 32, 1L << 20)
                    .foreignMapping(0x01c0L << 32, 1L << 20)
                    .foreignMapping(0x02c0L << 32, 1L << 20).build(),
            ScenarioDrivers::windows),
    /** A 4 GiB reservation limit. */
    ULIMIT_V("ulimit-v", "ulimit -v 4 GiB, grow to 3 GiB",
            () -> SimulatedAddressSpace.builder().reservationLimit(4L << 30).build(), ScenarioDrivers::ulimitV),
    /** 64 KiB physical pages. */
    PAGES_64K("64k-pages", "32-bit with 64 KiB pages, odd growth sizes",
            () -> SimulatedAddressSpace.builder().addressBits(32).physicalPageSize(65536).build(),
            ScenarioDrivers::pages64k),
    /** The whole 0x00c0 hint range taken, like a sanitizer's shadow. */
    SANITIZER_SHADOW("sanitizer-shadow", "0x00c0... to 0x8000... taken by shadow memory",
            () -> SimulatedAddressSpace.builder()
                    .foreignMapping(0x00c0L << 32, (0x8000L << 32) - (0x00c0L << 32)).build(),
            ScenarioDrivers::sanitizerShadow),
    /** Growth until nothing is left. */
    ADDRESS_SPACE_FULL("address-space-full", "32-bit, grow until the space is full",
            () -> SimulatedAddressSpace.builder().addressBits(32).build(), ScenarioDrivers::addressSpaceFull);

    private final String scenarioName;
    private final String description;
    private final Supplier<SimulatedAddressSpace> spaceFactory;
    private final Function<ScenarioHeap, String> driver;

    Scenario(String scenarioName, String description, Supplier<SimulatedAddressSpace> spaceFactory,
             Function<ScenarioHeap, String> driver) {
        this.scenarioName = scenarioName;
        this.description = description;
        this.spaceFactory = spaceFactory;
        this.driver = driver;
    }

    /** The name used on the command line, e.g. "heap-over-512g". */
    public String scenarioName() {
        return scenarioName;
    }

    /** What the scenario does, in a phrase. */
    public String description() {
        return description;
    }

    /** Every scenario in catalogue order. */
    public static List<Scenario> all() {
        return List.of(values());
    }

    /**
     * The scenario called {@code name}.
     *
     * @throws IllegalArgumentException naming the known scenarios when there is none
     */
    public static Scenario byName(String name) {
        for (Scenario scenario : values()) {
            if (scenario.scenarioName.equals(name.toLowerCase(Locale.ROOT))) {
                return scenario;
            }
        }
        throw new IllegalArgumentException("no scenario '" + name + "'; known: "
                + Arrays.stream(values()).map(Scenario::scenarioName).toList());
    }

    /** Runs the scenario and returns only its figures. */
    public ScenarioResult result(ArenaLayout layout) {
        return run(layout).result();
    }

    /**
     * Runs the scenario on a fresh space under {@code layout}: its figures and a snapshot of the
     * heap as it ended, for drawing. The heap is closed before this returns.
     */
    public ScenarioRun run(ArenaLayout layout) {
        SimulatedAddressSpace space = spaceFactory.get();
        ArenaSet<PageArena> set;
        try {
            set = ArenaSet.create(space, layout, PageArena.FACTORY);
        } catch (RuntimeException failure) {
            return new ScenarioRun(new ScenarioResult(scenarioName, layout, Outcome.ERROR,
                    "heap could not be created: " + failure, 0, 0, 0, 0), null, space);
        }
        ScenarioHeap heap = new ScenarioHeap(set, space);
        Outcome outcome;
        String detail;
        try {
            heap.check();
            detail = driver.apply(heap);
            outcome = Outcome.OK;
        } catch (HeapExhausted refused) {
            outcome = Outcome.OUT_OF_MEMORY;
            detail = refused.getMessage();
        } catch (RuntimeException failure) {
            outcome = Outcome.ERROR;
            detail = failure.toString();
        }
        if (outcome == Outcome.OUT_OF_MEMORY) {
            try {
                heap.check();
            } catch (RuntimeException failure) {
                outcome = Outcome.ERROR;
                detail = detail + "; then " + failure;
            }
        }
        ScenarioResult result = new ScenarioResult(scenarioName, layout, outcome, detail, set.reservedBytes(),
                set.mappedBytes(), set.metadataBytes(), set.arenaCount());
        try (set) {
            return new ScenarioRun(result, set.snapshot(List.of()), space);
        }
    }
}
