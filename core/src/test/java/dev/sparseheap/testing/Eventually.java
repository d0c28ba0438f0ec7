package dev.sparseheap.testing;

import java.util.function.BooleanSupplier;

/**
 * Waiting for what a background thread brings about. There is no deadline here: how long a
 * background thread takes depends on the load of the machine, not on the code under test, so a
 * deadline would make a test fail by chance. A thread that never brings it about hangs the wait;
 * the test's JUnit {@code @Timeout}, minutes long, is the guard that turns a hang into a failure.
 *
 * <p>Stateless and thread-safe.
 */
public final class Eventually {

    private static final long POLL_MILLIS = 10;

    private Eventually() {
    }

    /** Returns once {@code condition} holds, checking it every few milliseconds. */
    public static void await(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Thread.sleep(POLL_MILLIS);
        }
    }
}
