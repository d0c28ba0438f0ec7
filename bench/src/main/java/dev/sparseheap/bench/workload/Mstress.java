/*
 * mimalloc's stress test (mimalloc-bench's mstress) re-expressed. In rounds, a fresh set of
 * threads each runs a random mix over its own list of objects: allocate (mostly small, now and
 * then 100 times larger, rarely huge), free, grow with realloc, and swap an object with a shared
 * transfer table, so objects migrate between threads and outlive the thread that made them.
 * Objects left in the transfer table survive into the next round. It exercises every path of an
 * allocator at once, including realloc and thread exit with live objects.
 */
package dev.sparseheap.bench.workload;

import dev.sparseheap.bench.Allocator;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** Rounds of threads mixing malloc, free, realloc and cross-thread transfer. */
public record Mstress() implements Workload {

    private static final int ROUNDS = 10;
    private static final int STEPS_PER_THREAD = 200_000;
    private static final int LOCAL_OBJECTS = 2000;
    private static final int TRANSFER_SLOTS = 1000;
    private static final long SMALL_UNIT = 8;

    @Override
    public String name() {
        return "mstress";
    }

    @Override
    public String description() {
        return "mstress: rounds of threads mixing malloc, free, realloc and swaps through a shared transfer table";
    }

    @Override
    public String parameters(int threads, double scale) {
        return ROUNDS + " rounds x " + threads + " threads x " + Workload.scaled(STEPS_PER_THREAD, scale)
                + " steps; sizes 8..128 B, 1 in 100 x100, 1 in 10000 1..4 MiB; " + TRANSFER_SLOTS + " transfer slots";
    }

    @Override
    public long run(Allocator allocator, int threads, double scale) {
        int steps = Workload.scaled(STEPS_PER_THREAD, scale);
        var transfer = new Transfer();
        for (int round = 0; round < ROUNDS; round++) {
            int seed = round;
            Workers.run(threads, name() + "-" + round,
                    index -> new Stepper(allocator, transfer, new SplittableRandom(seed * 1000L + index)).run(steps));
        }
        transfer.freeAll(allocator);
        return (long) ROUNDS * threads * steps;
    }

    private record Parked(long handle, long size) {
    }

    /** Objects parked between threads, one per slot. Thread-safe. */
    private final class Transfer {
        private final AtomicReferenceArray<Parked> slots = new AtomicReferenceArray<>(TRANSFER_SLOTS);

        /** Takes the slot's object out, leaving the slot empty; null if it was empty. */
        Parked take(int slot) {
            return slots.getAndSet(slot, null);
        }

        /** Parks an object in an empty slot; false if the slot is taken. */
        boolean park(int slot, long handle, long size) {
            return slots.compareAndSet(slot, null, new Parked(handle, size));
        }

        void freeAll(Allocator allocator) {
            for (int slot = 0; slot < TRANSFER_SLOTS; slot++) {
                Parked object = take(slot);
                if (object != null) {
                    Contents.verifyAndFree(allocator, object.handle(), object.size(), name());
                }
            }
        }
    }

    /** One thread's random walk. Confined to its thread. */
    private final class Stepper {
        private final Allocator allocator;
        private final Transfer transfer;
        private final SplittableRandom random;
        private final long[] handles = new long[LOCAL_OBJECTS];
        private final long[] sizes = new long[LOCAL_OBJECTS];

        Stepper(Allocator allocator, Transfer transfer, SplittableRandom random) {
            this.allocator = allocator;
            this.transfer = transfer;
            this.random = random;
        }

        void run(int steps) {
            for (int i = 0; i < steps; i++) {
                int slot = random.nextInt(LOCAL_OBJECTS);
                int action = random.nextInt(100);
                if (action < 50) {
                    replace(slot);
                } else if (action < 75) {
                    release(slot);
                } else if (action < 90) {
                    grow(slot);
                } else {
                    swap(slot);
                }
            }
            for (int slot = 0; slot < LOCAL_OBJECTS; slot++) {
                release(slot);
            }
        }

        private long size() {
            long size = SMALL_UNIT * (1 + random.nextInt(16));
            if (random.nextInt(10_000) == 0) {
                return Sizes.uniform(random, 1 << 20, 4 << 20);
            }
            return random.nextInt(100) == 0 ? size * 100 : size;
        }

        private void replace(int slot) {
            release(slot);
            sizes[slot] = size();
            handles[slot] = Contents.allocate(allocator, sizes[slot]);
        }

        private void release(int slot) {
            if (handles[slot] != 0) {
                Contents.verifyAndFree(allocator, handles[slot], sizes[slot], name());
                handles[slot] = 0;
            }
        }

        private void grow(int slot) {
            if (handles[slot] == 0) {
                replace(slot);
                return;
            }
            long newSize = Math.min(sizes[slot] + sizes[slot] / 2 + 1, 8 << 20);
            handles[slot] = Contents.resize(allocator, handles[slot], sizes[slot], newSize, name());
            sizes[slot] = newSize;
        }

        private void swap(int slot) {
            int parked = random.nextInt(TRANSFER_SLOTS);
            Parked taken = transfer.take(parked);
            if (handles[slot] != 0 && transfer.park(parked, handles[slot], sizes[slot])) {
                handles[slot] = 0;
            }
            if (taken != null) {
                release(slot);
                handles[slot] = taken.handle();
                sizes[slot] = taken.size();
            }
        }
    }
}
