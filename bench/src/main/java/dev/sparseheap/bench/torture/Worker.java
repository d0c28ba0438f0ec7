/*
 * One torture worker: a random stream of malloc, calloc, mallocAligned, realloc and free on the
 * heap under test, with objects handed to other workers (so most frees of a busy run are
 * cross-thread frees), and deliberate bad frees that are safe while other threads work: interior
 * addresses of objects this worker holds, addresses of another heap, of a glibc block, odd and
 * non-canonical addresses. Each must throw IllegalArgumentException and leave the object it
 * pointed into intact. Double frees are not done here: while others allocate, a freed slot may be
 * handed out again before the second free, and then the second free would rightly free someone
 * else's object; the checkpoint does them at rest.
 *
 * Every object is stamped when allocated and checked when it changes hands, is resized and before
 * it is freed. A worker runs until its deadline or operation budget, or until any violation
 * anywhere in the run; then it leaves everything it holds in its inbox and ends.
 */
package dev.sparseheap.bench.torture;

import dev.sparseheap.SparseHeap;
import dev.sparseheap.bench.GlibcAllocator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A worker's body. Confined to the thread that runs it. */
final class Worker implements Runnable {

    /** Objects a worker holds before it frees rather than allocates. */
    private static final int MAX_HELD = 1500;
    private static final int INBOX_TAKE = 16;

    private final SparseHeap heap;
    private final SparseHeap foreignHeap;
    private final GlibcAllocator glibc;
    private final Inboxes inboxes;
    private final int slot;
    private final SplittableRandom random;
    private final Tally tally;
    private final long deadlineNanos;
    private final long operationBudget;
    private final int yieldEvery;
    private final List<Tracked> held = new ArrayList<>();

    /**
     * @param yieldEvery operations between yields (virtual threads on a few carriers must let
     *                   each other run), or 0 for never
     */
    Worker(SparseHeap heap, SparseHeap foreignHeap, GlibcAllocator glibc, Inboxes inboxes, int slot, long seed,
           Tally tally, long deadlineNanos, long operationBudget, int yieldEvery) {
        this.heap = heap;
        this.foreignHeap = foreignHeap;
        this.glibc = glibc;
        this.inboxes = inboxes;
        this.slot = slot;
        this.random = new SplittableRandom(seed);
        this.tally = tally;
        this.deadlineNanos = deadlineNanos;
        this.operationBudget = operationBudget;
        this.yieldEvery = yieldEvery;
    }

    @Override
    public void run() {
        try {
            for (long done = 0; done < operationBudget && !tally.failed(); done++) {
                step();
                if ((done & 63) == 0 && System.nanoTime() > deadlineNanos) {
                    break;
                }
                if (yieldEvery > 0 && done % yieldEvery == 0) {
                    Thread.yield();
                }
            }
        } catch (RuntimeException | Error e) {
            tally.violation("worker " + slot + " on " + Thread.currentThread() + ": unexpected " + e);
        } finally {
            for (Tracked object : held) {
                inboxes.put(slot, object);
            }
            held.clear();
        }
    }

    private void step() {
        tally.operations.increment();
        int choice = random.nextInt(100);
        if (held.size() >= MAX_HELD && choice < 52) {
            choice = 52;
        }
        if (held.isEmpty() && choice >= 44 && choice < 90) {
            choice = 91;
        }
        if (choice < 30) {
            take(Operations.malloc(heap, size(), inboxes.nextId(), tally));
        } else if (choice < 38) {
            take(Operations.calloc(heap, size(), inboxes.nextId(), tally));
        } else if (choice < 44) {
            take(Operations.aligned(heap, size(), 1L << (3 + random.nextInt(14)), inboxes.nextId(), tally));
        } else if (choice < 52) {
            take(Operations.realloc(heap, removeRandom(), size(), tally));
        } else if (choice < 80) {
            Operations.free(heap, removeRandom(), tally);
        } else if (choice < 88) {
            inboxes.put(random.nextInt(inboxes.slots()), removeRandom());
            tally.handOvers.increment();
        } else if (choice < 90) {
            Operations.interiorFree(heap, held.get(random.nextInt(held.size())), 1 + random.nextLong(1 << 20), tally);
        } else if (choice < 91) {
            foreignFree();
        } else {
            takeFromInbox();
        }
    }

    /** Sizes: mostly small, some medium, a few past the size classes. */
    private long size() {
        int band = random.nextInt(100);
        if (band < 70) {
            return random.nextInt(257);
        } else if (band < 90) {
            return 257 + random.nextInt(4096 - 256);
        } else if (band < 98) {
            return 4097 + random.nextInt(32768 - 4096);
        }
        return 32769 + random.nextInt(256 << 10);
    }

    private void take(Tracked object) {
        if (object != null) {
            held.add(object);
        }
    }

    private Tracked removeRandom() {
        int index = random.nextInt(held.size());
        Tracked last = held.removeLast();
        if (index == held.size()) {
            return last;
        }
        return held.set(index, last);
    }

    private void takeFromInbox() {
        for (int i = 0; i < INBOX_TAKE; i++) {
            Tracked object = inboxes.poll(slot);
            if (object == null) {
                return;
            }
            if (Operations.intact(object, "taken from an inbox", tally)) {
                held.add(object);
            }
        }
    }

    /** A free of an address this heap never gave out: another heap's, glibc's, or garbage. */
    private void foreignFree() {
        switch (random.nextInt(4)) {
            case 0 -> {
                long other = foreignHeap.malloc(16 + random.nextInt(1024));
                Operations.rejectedFree(heap, other, "an object of another heap", tally);
                foreignHeap.free(other);
            }
            case 1 -> {
                long block = glibc.malloc(16 + random.nextInt(1024));
                Operations.rejectedFree(heap, block, "a glibc block", tally);
                glibc.free(block);
            }
            case 2 -> Operations.rejectedFree(heap, random.nextLong(1L << 47) | 1, "an odd address", tally);
            default -> Operations.rejectedFree(heap, (1L << 48) | random.nextLong(1L << 48) & -16L,
                    "a non-canonical address", tally);
        }
    }
}
