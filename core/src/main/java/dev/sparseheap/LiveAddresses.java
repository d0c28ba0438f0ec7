/*
 * The live objects of one child allocator: address -> usable bytes, so that a free through the
 * wrong allocator is found, and close() can free and count what is left.
 *
 * Open addressing with linear probing over long arrays (no boxing, no node objects), split into
 * stripes by a hash of the address, each stripe under its own monitor, so that threads freeing
 * different objects of one allocator rarely meet. A stripe doubles when two thirds full and
 * deletes by backward shift, so no tombstones accumulate. Address 0 marks an empty slot (the
 * heap never hands it out). The table belongs to its allocator: plain heap users never touch one.
 */
package dev.sparseheap;

/**
 * A concurrent map from object address to usable bytes.
 *
 * <p>Thread safety: safe for concurrent use; {@link #forEach} sees each stripe at one moment.
 */
final class LiveAddresses {

    private static final int STRIPES = 16;
    private static final int INITIAL_CAPACITY = 16;

    /** Receives one entry. */
    @FunctionalInterface
    interface Entry {
        void accept(long address, long usable);
    }

    private final Stripe[] stripes = new Stripe[STRIPES];

    LiveAddresses() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /** Records {@code address} (not 0, not present) with its usable bytes. */
    void put(long address, long usable) {
        stripeOf(address).put(address, usable);
    }

    /** Removes {@code address}; its usable bytes, or -1 when it was not present. */
    long remove(long address) {
        return stripeOf(address).remove(address);
    }

    /** The usable bytes recorded for {@code address}, or -1 when it is not present. */
    long get(long address) {
        return stripeOf(address).get(address);
    }

    /** Calls {@code action} for every entry present, stripe by stripe, outside the stripes' locks. */
    void forEach(Entry action) {
        for (Stripe stripe : stripes) {
            long[] copy = stripe.snapshot();
            for (int i = 0; i < copy.length; i += 2) {
                action.accept(copy[i], copy[i + 1]);
            }
        }
    }

    private static int hash(long address) {
        return (int) ((address >>> 3) * 0x9E3779B97F4A7C15L >>> 32);
    }

    private Stripe stripeOf(long address) {
        return stripes[hash(address) & (STRIPES - 1)];
    }

    /** One stripe: parallel arrays of keys and values, capacity a power of two. */
    private static final class Stripe {
        private long[] keys = new long[INITIAL_CAPACITY];
        private long[] values = new long[INITIAL_CAPACITY];
        private int size;

        synchronized void put(long address, long usable) {
            if (3 * (size + 1) > 2 * keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            int i = home(address, mask);
            while (keys[i] != 0 && keys[i] != address) {
                i = (i + 1) & mask;
            }
            if (keys[i] == 0) {
                size++;
            }
            keys[i] = address;
            values[i] = usable;
        }

        synchronized long get(long address) {
            int i = find(address);
            return i < 0 ? -1 : values[i];
        }

        synchronized long remove(long address) {
            int i = find(address);
            if (i < 0) {
                return -1;
            }
            long usable = values[i];
            int mask = keys.length - 1;
            int hole = i;
            for (int next = (hole + 1) & mask; keys[next] != 0; next = (next + 1) & mask) {
                int wanted = home(keys[next], mask);
                // Move the entry back into the hole unless its home lies cyclically in (hole, next].
                if (((next - wanted) & mask) >= ((next - hole) & mask)) {
                    keys[hole] = keys[next];
                    values[hole] = values[next];
                    hole = next;
                }
            }
            keys[hole] = 0;
            values[hole] = 0;
            size--;
            return usable;
        }

        synchronized long[] snapshot() {
            long[] copy = new long[2 * size];
            int at = 0;
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != 0) {
                    copy[at++] = keys[i];
                    copy[at++] = values[i];
                }
            }
            return copy;
        }

        private int find(long address) {
            int mask = keys.length - 1;
            for (int i = home(address, mask); keys[i] != 0; i = (i + 1) & mask) {
                if (keys[i] == address) {
                    return i;
                }
            }
            return -1;
        }

        private void grow() {
            long[] oldKeys = keys;
            long[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new long[oldKeys.length * 2];
            int mask = keys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] != 0) {
                    int i = home(oldKeys[j], mask);
                    while (keys[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = oldKeys[j];
                    values[i] = oldValues[j];
                }
            }
        }

        private static int home(long address, int mask) {
            return (hash(address) >>> 4) & mask;
        }
    }
}
