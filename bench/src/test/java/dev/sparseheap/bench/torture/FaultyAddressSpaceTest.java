/*
 * The failing address space keeps the AddressSpace contract on every failure it injects: a
 * failed reservation returns 0, a failed map is an OutOfMemoryError, a failed release an
 * IllegalStateException, and none of them changes anything; bad arguments are rejected as the
 * real space rejects them, never turned into injected failures.
 */
package dev.sparseheap.bench.torture;

import dev.sparseheap.os.LinuxAddressSpace;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Injected failures follow the contract and change nothing. */
class FaultyAddressSpaceTest {

    private static final long SIZE = 1L << 20;

    @Test
    void everyInjectedFailureIsOneTheContractAllowsAndChangesNothing() {
        var real = LinuxAddressSpace.create();
        var reliable = new FaultyAddressSpace(real, 0.0, 1);
        var failing = new FaultyAddressSpace(real, 1.0, 1);

        assertEquals(0, failing.reserve(0, SIZE));
        assertEquals(0, failing.reserveExact(1L << 40, SIZE));
        assertEquals(0, real.reservedBytes());
        assertEquals(2, failing.reserveFailures());

        long base = reliable.reserve(0, SIZE);
        assertNotEquals(0, base);
        OutOfMemoryError refused = assertThrows(OutOfMemoryError.class, () -> failing.map(base, SIZE));
        assertTrue(refused.getMessage().contains(FaultyAddressSpace.INJECTED), refused.getMessage());
        assertEquals(0, real.mappedBytes());

        reliable.map(base, SIZE);
        IllegalStateException notReleased = assertThrows(IllegalStateException.class, () -> failing.release(base, SIZE));
        assertTrue(notReleased.getMessage().contains(FaultyAddressSpace.INJECTED), notReleased.getMessage());
        assertEquals(0, real.releasedBytes());
        reliable.release(base, SIZE);
        assertEquals(SIZE, real.releasedBytes());

        failing.free(base, SIZE);
        assertEquals(0, real.reservedBytes());
        assertEquals(4, failing.injectedFailures());
        assertEquals(0, reliable.injectedFailures());
    }

    @Test
    void badArgumentsAreRejectedByTheRealSpaceNotInjected() {
        var failing = new FaultyAddressSpace(LinuxAddressSpace.create(), 1.0, 7);
        assertThrows(IllegalArgumentException.class, () -> failing.reserve(0, 100));
        assertThrows(IllegalArgumentException.class, () -> failing.map(4096 + 1, SIZE));
        assertThrows(IllegalArgumentException.class, () -> failing.release(0, -4096));
        assertEquals(0, failing.injectedFailures());
        assertThrows(IllegalArgumentException.class, () -> new FaultyAddressSpace(LinuxAddressSpace.create(), 1.5, 0));
    }

    @Test
    void theSameSeedFailsTheSameCalls() {
        var real = LinuxAddressSpace.create();
        var first = new FaultyAddressSpace(real, 0.5, 99);
        var second = new FaultyAddressSpace(real, 0.5, 99);
        for (int i = 0; i < 32; i++) {
            long a = first.reserve(0, SIZE);
            long b = second.reserve(0, SIZE);
            assertEquals(a == 0, b == 0, "call " + i);
            if (a != 0) {
                real.free(a, SIZE);
                real.free(b, SIZE);
            }
        }
        assertEquals(first.reserveFailures(), second.reserveFailures());
    }
}
