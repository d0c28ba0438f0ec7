package dev.sparseheap;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The child allocators' address table against a HashMap, with clustered addresses that collide. */
class LiveAddressesTest {

    @Test
    void agreesWithAMapThroughRandomPutsAndRemoves() {
        long seed = 0x1A7E5L;
        SplittableRandom random = new SplittableRandom(seed);
        LiveAddresses table = new LiveAddresses();
        Map<Long, Long> model = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            long address = 0x1000 + 16L * random.nextInt(5000);
            String context = "seed %x step %d address %x".formatted(seed, step, address);
            if (model.containsKey(address)) {
                assertEquals((long) model.remove(address), table.remove(address), context);
            } else {
                long usable = random.nextLong(1, 1 << 20);
                model.put(address, usable);
                table.put(address, usable);
            }
            long probe = 0x1000 + 16L * random.nextInt(5000);
            assertEquals(model.getOrDefault(probe, -1L), table.get(probe), context);
        }
        Map<Long, Long> seen = new HashMap<>();
        table.forEach(seen::put);
        assertEquals(model, seen, "seed " + Long.toHexString(seed));
    }
}
