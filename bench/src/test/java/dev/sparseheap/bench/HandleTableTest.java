/*
 * The handle table of the Java-object allocators: handles unique while live, slots reused after
 * removal on any thread (checked against a set of live handles, seeded).
 */
package dev.sparseheap.bench;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Handles of the Java-object allocators: unique while live, reused after removal, any thread. */
class HandleTableTest {

    @Test
    void liveHandlesAreDistinctAndNameTheirObjectAndAddress() {
        var table = new HandleTable<String>();
        var seen = new HashSet<Long>();
        for (int i = 0; i < 10_000; i++) {
            long handle = table.add("object " + i, 1000L + i);
            assertTrue(handle > 0 && seen.add(handle), "handle " + handle + " is new and positive");
        }
        for (long handle : seen) {
            assertEquals(table.object(handle), "object " + (table.address(handle) - 1000));
        }
    }

    @Test
    void removedSlotsAreReusedAndRemovingTwiceIsAnError() {
        var table = new HandleTable<String>();
        long first = table.add("a", 1);
        assertEquals("a", table.remove(first));
        assertThrows(IllegalArgumentException.class, () -> table.remove(first));
        assertEquals(first, table.add("b", 2), "the freed slot comes back first");
        assertThrows(IllegalArgumentException.class, () -> table.object(0));
    }

    @Test
    void slotsFreedOnAnotherThreadReturnThroughTheSharedMagazinesAgainstAModel() throws Exception {
        long seed = Long.getLong("sparseheap.seed", 42);
        var random = new SplittableRandom(seed);
        var table = new HandleTable<Long>();
        var live = new HashSet<Long>();
        for (int round = 0; round < 20; round++) {
            long[] made = new long[2000];
            for (int i = 0; i < made.length; i++) {
                made[i] = table.add((long) i, i);
                assertTrue(live.add(made[i]), "seed " + seed + ": handle " + made[i] + " handed out twice");
            }
            CompletableFuture.runAsync(() -> {
                for (long handle : made) {
                    if (random.nextBoolean()) {
                        table.remove(handle);
                    }
                }
            }).get();
            for (long handle : made) {
                if (table.object(handle) == null) {
                    live.remove(handle);
                }
            }
        }
        assertTrue(live.size() < 20 * 2000, "seed " + seed + ": slots freed elsewhere are reused");
    }
}
