/*
 * Property test of the simulated address space against a page-by-page reference model:
 * placement of every reservation, legality of every transition, exact accounting and a
 * sorted, non-overlapping, merged list of mappings after every step.
 */
package dev.sparseheap.os;

import dev.sparseheap.os.SimulatedAddressSpace.Semantics;
import dev.sparseheap.testing.Seeds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random sequences of every operation, checked against a reference model that keeps one
 * state per page. The simulated space is a 32-bit one whose free room is a window of
 * {@link #PAGES} pages: foreign mappings fill everything else, so the reference can work out
 * where each reservation must land by scanning the window. Every message names its seed
 * ({@link Seeds}).
 */
class SimulatedAddressSpaceModelTest {

    static final long PAGE = 4096;
    static final int PAGES = 512;
    static final long WINDOW = 0x1000_0000L;
    static final long WINDOW_END = WINDOW + PAGES * PAGE;
    static final long HEAP_LIMIT_PAGES = 400;
    static final long MAP_LIMIT_PAGES = 200;
    static final int STEPS = 1500;
    static final long[] SEEDS = {1, 2, 3, 4, 5, 20261202};

    /** The reference: a state per page (null = free) and, for Windows, a reservation id per page. */
    static final class Model {
        final Semantics semantics;
        final RangeState[] states = new RangeState[PAGES];
        final long[] reservation = new long[PAGES];

        Model(Semantics semantics) {
            this.semantics = semantics;
        }

        long count(RangeState... wanted) {
            return Arrays.stream(states).filter(s -> s != null && Arrays.asList(wanted).contains(s)).count();
        }

        boolean free(int first, int pages) {
            for (int i = first; i < first + pages; i++) {
                if (i < 0 || i >= PAGES || states[i] != null) {
                    return false;
                }
            }
            return true;
        }

        boolean heldIn(int first, int pages, RangeState... allowed) {
            for (int i = first; i < first + pages; i++) {
                if (states[i] == null || !Arrays.asList(allowed).contains(states[i])) {
                    return false;
                }
            }
            return true;
        }

        int placement(long hint, int pages) {
            if (count(RangeState.values()) + pages > HEAP_LIMIT_PAGES) {
                return -1;
            }
            int hinted = hint == 0 ? -1 : (int) ((hint - WINDOW) / PAGE);
            if (semantics == Semantics.WINDOWS) {
                if (hint != 0) {
                    return free(hinted, pages) ? hinted : -1;
                }
                for (int i = 0; i + pages <= PAGES; i += 16) {
                    if (free(i, pages)) {
                        return i;
                    }
                }
                return -1;
            }
            if (hint != 0 && free(hinted, pages)) {
                return hinted;
            }
            for (int i = PAGES - pages; i >= 0; i--) {
                if (free(i, pages)) {
                    return i;
                }
            }
            return -1;
        }

        void reserve(int first, int pages) {
            for (int i = first; i < first + pages; i++) {
                states[i] = RangeState.RESERVED;
                reservation[i] = first + 1;
            }
        }

        boolean wholeReservation(int first, int pages) {
            long id = first + 1;
            for (int i = first; i < first + pages; i++) {
                if (states[i] == null || reservation[i] != id) {
                    return false;
                }
            }
            return first + pages == PAGES || states[first + pages] == null || reservation[first + pages] != id;
        }

        void set(int first, int pages, RangeState state) {
            Arrays.fill(states, first, first + pages, state);
        }
    }

    static SimulatedAddressSpace windowOnly(Semantics semantics) {
        var builder = SimulatedAddressSpace.builder().addressBits(32).semantics(semantics)
                .mmapBase(WINDOW_END)
                .foreignMapping(0x10000, 0x0804_8000L - 0x10000)
                .foreignMapping(WINDOW_END, (1L << 32) - WINDOW_END);
        var probe = builder.build();
        long gapEnd = Math.ceilDiv(Math.max(probe.programEnd(), probe.programBreak()), PAGE) * PAGE
                + SimulatedAddressSpace.BRK_GAP_BYTES;
        long foreignHeld = probe.heldBytes() + (WINDOW - gapEnd);
        return builder.foreignMapping(gapEnd, WINDOW - gapEnd)
                .reservationLimit(foreignHeld + HEAP_LIMIT_PAGES * PAGE)
                .mappingLimit(MAP_LIMIT_PAGES * PAGE)
                .build();
    }

    @ParameterizedTest
    @EnumSource(Semantics.class)
    void randomSequencesAgreeWithAPageByPageModel(Semantics semantics) {
        for (long seed : Seeds.of(SEEDS)) {
            run(semantics, seed);
        }
    }

    private static void run(Semantics semantics, long seed) {
        var random = new Random(seed);
        var sim = windowOnly(semantics);
        var model = new Model(semantics);
        for (int step = 0; step < STEPS; step++) {
            String where = Seeds.describe(seed) + " (" + semantics + "), step " + step;
            int first = random.nextInt(PAGES);
            int pages = 1 + random.nextInt(random.nextInt(4) == 0 ? 64 : 8);
            pages = Math.min(pages, PAGES - first);
            long address = WINDOW + first * PAGE;
            long size = pages * PAGE;
            String call = where + ": op on [" + first + ", " + (first + pages) + ")";
            switch (random.nextInt(7)) {
                case 0, 1 -> {
                    long hint = random.nextInt(3) == 0 ? 0 : random.nextInt(10) == 0 ? 0x2000_0000L : address;
                    int expected = model.placement(hint, pages);
                    long got = sim.reserve(hint, size);
                    assertEquals(expected < 0 ? 0 : WINDOW + expected * PAGE, got, call + " reserve hint 0x"
                            + Long.toHexString(hint));
                    if (expected >= 0) {
                        model.reserve(expected, pages);
                    }
                }
                case 2 -> {
                    boolean fits = model.free(first, pages)
                            && model.count(RangeState.values()) + pages <= HEAP_LIMIT_PAGES;
                    assertEquals(fits ? address : 0, sim.reserveExact(address, size), call + " reserveExact");
                    if (fits) {
                        model.reserve(first, pages);
                    }
                }
                case 3 -> {
                    if (!model.heldIn(first, pages, RangeState.values())) {
                        assertThrows(IllegalStateException.class, () -> sim.map(address, size), call + " map");
                    } else {
                        long newly = Arrays.stream(model.states, first, first + pages)
                                .filter(st -> st == RangeState.RESERVED).count();
                        if (model.count(RangeState.READY, RangeState.RELEASED) + newly > MAP_LIMIT_PAGES) {
                            assertThrows(OutOfMemoryError.class, () -> sim.map(address, size), call + " map");
                        } else {
                            sim.map(address, size);
                            model.set(first, pages, RangeState.READY);
                        }
                    }
                }
                case 4 -> {
                    if (model.heldIn(first, pages, RangeState.READY, RangeState.RELEASED)) {
                        sim.release(address, size);
                        model.set(first, pages, RangeState.RELEASED);
                    } else {
                        assertThrows(IllegalStateException.class, () -> sim.release(address, size), call + " release");
                    }
                }
                case 5 -> {
                    if (model.heldIn(first, pages, RangeState.values())) {
                        sim.fault(address, size);
                        model.set(first, pages, RangeState.RESERVED);
                    } else {
                        assertThrows(IllegalStateException.class, () -> sim.fault(address, size), call + " fault");
                    }
                }
                default -> {
                    boolean allowed = model.heldIn(first, pages, RangeState.values())
                            && (semantics != Semantics.WINDOWS || model.wholeReservation(first, pages));
                    if (allowed) {
                        sim.free(address, size);
                        model.set(first, pages, null);
                    } else {
                        assertThrows(IllegalStateException.class, () -> sim.free(address, size), call + " free");
                    }
                }
            }
            assertAgrees(sim, model, where);
        }
    }

    private static void assertAgrees(SimulatedAddressSpace sim, Model model, String where) {
        assertEquals(model.count(RangeState.values()) * PAGE, sim.reservedBytes(), where + ": reserved bytes");
        assertEquals(model.count(RangeState.READY, RangeState.RELEASED) * PAGE, sim.mappedBytes(), where + ": mapped bytes");
        assertEquals(model.count(RangeState.RELEASED) * PAGE, sim.releasedBytes(), where + ": released bytes");
        var seen = new RangeState[PAGES];
        Mapping previous = null;
        for (var mapping : sim.mappings()) {
            if (previous != null) {
                assertTrue(previous.end() <= mapping.base(), where + ": mappings overlap or are unsorted");
                boolean mergeable = previous.end() == mapping.base() && previous.state() == mapping.state()
                        && previous.owner() == RangeOwner.HEAP && mapping.owner() == RangeOwner.HEAP;
                if (mergeable && sim.semantics() != Semantics.WINDOWS) {
                    fail(where + ": equal neighbours left unmerged at 0x" + Long.toHexString(mapping.base()));
                }
            }
            previous = mapping;
            if (mapping.owner() == RangeOwner.HEAP) {
                assertTrue(mapping.base() >= WINDOW && mapping.end() <= WINDOW_END, where + ": heap outside window");
                for (long a = mapping.base(); a < mapping.end(); a += PAGE) {
                    seen[(int) ((a - WINDOW) / PAGE)] = mapping.state();
                }
            }
        }
        for (int i = 0; i < PAGES; i++) {
            assertEquals(model.states[i], seen[i], where + ": state of page " + i);
        }
    }
}
