/*
 * The live objects of a recorded heap, address to trace id, in two primitive arrays: the trace
 * writer looks one up for every free and resize, so it must cost a few array loads, no boxing.
 *
 * Open addressing with linear probing; address 0 marks an empty slot (the heap never hands out
 * 0). Removal shifts the following entries of the probe run back instead of leaving tombstones,
 * so lookups stay short however many objects come and go. The table doubles at half full.
 */
package dev.sparseheap.trace;

/**
 * A map from object address to trace id.
 *
 * <p>Not thread-safe: owned by the trace writer thread.
 */
final class AddressIds {

    private long[] addresses = new long[1 << 12];
    private long[] ids = new long[1 << 12];
    private int size;

    /** Records that the object at {@code address} has trace id {@code id}, replacing any earlier one. */
    void put(long address, long id) {
        if (2 * (size + 1) > addresses.length) {
            grow();
        }
        int slot = slotOf(address, addresses.length);
        while (addresses[slot] != 0 && addresses[slot] != address) {
            slot = (slot + 1) & (addresses.length - 1);
        }
        if (addresses[slot] == 0) {
            size++;
        }
        addresses[slot] = address;
        ids[slot] = id;
    }

    /** Removes the object at {@code address} and returns its id, or 0 when none is recorded there. */
    long remove(long address) {
        int mask = addresses.length - 1;
        int slot = slotOf(address, addresses.length);
        while (addresses[slot] != address) {
            if (addresses[slot] == 0) {
                return 0;
            }
            slot = (slot + 1) & mask;
        }
        long id = ids[slot];
        size--;
        int hole = slot;
        for (int next = (hole + 1) & mask; addresses[next] != 0; next = (next + 1) & mask) {
            int home = slotOf(addresses[next], addresses.length);
            boolean homeOutsideHoleToNext = hole <= next ? (home <= hole || home > next) : (home <= hole && home > next);
            if (homeOutsideHoleToNext) {
                addresses[hole] = addresses[next];
                ids[hole] = ids[next];
                hole = next;
            }
        }
        addresses[hole] = 0;
        return id;
    }

    private void grow() {
        long[] oldAddresses = addresses;
        long[] oldIds = ids;
        addresses = new long[oldAddresses.length * 2];
        ids = new long[oldAddresses.length * 2];
        size = 0;
        for (int i = 0; i < oldAddresses.length; i++) {
            if (oldAddresses[i] != 0) {
                put(oldAddresses[i], oldIds[i]);
            }
        }
    }

    private static int slotOf(long address, int capacity) {
        return (int) ((address * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(capacity)));
    }
}
