package dev.sparseheap.testing;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one action on two threads released at the same instant and counts how many of them the
 * code under test accepted: the specification tests of "of two threads freeing the same object
 * at once, exactly one wins" all need exactly this.
 */
public final class Race {

    /**
     * How the two runs ended.
     *
     * @param accepted runs that returned normally
     * @param rejected runs that threw {@link IllegalArgumentException}
     */
    public record Outcome(int accepted, int rejected) {
    }

    /** Where the second run happens. */
    public enum Second {
        /** On a second new platform thread. */
        NEW_THREAD,
        /** On the calling thread (for code that behaves differently for the thread owning a cache). */
        CALLING_THREAD
    }

    private Race() {
    }

    /**
     * Runs {@code action} twice at once, on a new platform thread and as {@code second} says.
     * Any exception but {@link IllegalArgumentException} fails the test.
     */
    public static Outcome twice(Runnable action, Second second) throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(2);
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        Runnable run = () -> {
            try {
                start.await();
                action.run();
                accepted.incrementAndGet();
            } catch (IllegalArgumentException e) {
                rejected.incrementAndGet();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        Thread first = Thread.ofPlatform().start(run);
        if (second == Second.CALLING_THREAD) {
            run.run();
        } else {
            Thread.ofPlatform().start(run).join();
        }
        first.join();
        return new Outcome(accepted.get(), rejected.get());
    }
}
