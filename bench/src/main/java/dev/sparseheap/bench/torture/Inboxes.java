/*
 * Where live objects wait between holders: one queue per worker slot. A worker hands an object to
 * another slot's queue and forgets it (a cross-thread free happens when the receiver frees it);
 * a worker that exits leaves everything it holds in its own queue, and the worker that takes the
 * slot over in the next generation, on a new thread, frees or keeps it. At a checkpoint every
 * object of the run is in some queue, so the checkpoint sees the whole live set.
 */
package dev.sparseheap.bench.torture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** The queues of live objects between workers, and the source of object ids. Thread-safe. */
final class Inboxes {

    private final List<ConcurrentLinkedQueue<Tracked>> queues = new ArrayList<>();
    private final AtomicLong nextId = new AtomicLong(1);

    Inboxes(int slots) {
        for (int i = 0; i < slots; i++) {
            queues.add(new ConcurrentLinkedQueue<>());
        }
    }

    int slots() {
        return queues.size();
    }

    /** A fresh object id, never given before in this run. */
    long nextId() {
        return nextId.getAndIncrement();
    }

    void put(int slot, Tracked object) {
        queues.get(slot).add(object);
    }

    /** The next object waiting in {@code slot}, or null. */
    Tracked poll(int slot) {
        return queues.get(slot).poll();
    }

    /** Every object in every queue, removed from them. Only while no worker runs. */
    List<Tracked> drainAll() {
        var all = new ArrayList<Tracked>();
        for (var queue : queues) {
            for (Tracked t; (t = queue.poll()) != null; ) {
                all.add(t);
            }
        }
        return all;
    }

    /** Puts objects back, spread round-robin over the slots. Only while no worker runs. */
    void spread(List<Tracked> objects) {
        for (int i = 0; i < objects.size(); i++) {
            queues.get(i % queues.size()).add(objects.get(i));
        }
    }
}
