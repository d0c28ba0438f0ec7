/*
 * Maps the long handles of the Allocator interface to the objects that Java allocators hand out
 * (Netty's ByteBuf, the JDK's MemorySegment) and to their memory addresses.
 *
 * A Java program using those allocators keeps a reference to the object; a benchmark written
 * against long handles needs the same thing for the price of an array load, not a hash lookup.
 * Slots live in pages of 4096 created on demand and never removed, so a handle (slot + 1) stays
 * valid for lookups from any thread that received it through a happens-before edge (a queue, a
 * thread start or join), which is how every workload passes objects between threads.
 *
 * Free slots circulate in magazines, like a thread cache: each thread takes slots from its own
 * magazine and returns freed slots to it; a full magazine goes to a shared queue, an empty one is
 * refilled from that queue or from never-used slots. A slot freed on another thread is therefore
 * reused, and no lock is taken on the fast path.
 */
package dev.sparseheap.bench;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Slots holding an object and an address, named by positive long handles.
 *
 * <p>Thread-safe: any thread may add, look up and remove. Looking up a handle requires that the
 * thread received the handle after it was added (through any happens-before edge).
 *
 * @param <T> the type of object kept per allocation
 */
final class HandleTable<T> {

    private static final int PAGE_BITS = 12;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final int MAX_PAGES = 1 << (30 - PAGE_BITS);
    private static final int MAGAZINE_SIZE = 256;

    private record Page(Object[] objects, long[] addresses) {
        Page() {
            this(new Object[PAGE_SIZE], new long[PAGE_SIZE]);
        }
    }

    private static final class Magazine {
        final int[] slots = new int[MAGAZINE_SIZE];
        int count;
    }

    private final AtomicReferenceArray<Page> pages = new AtomicReferenceArray<>(MAX_PAGES);
    private final AtomicInteger neverUsedSlots = new AtomicInteger();
    private final ConcurrentLinkedQueue<Magazine> fullMagazines = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Magazine> magazine = ThreadLocal.withInitial(Magazine::new);

    /** Stores {@code object} with its {@code address}; returns the handle. */
    long add(T object, long address) {
        int slot = takeSlot();
        Page page = page(slot);
        page.objects[slot & (PAGE_SIZE - 1)] = object;
        page.addresses[slot & (PAGE_SIZE - 1)] = address;
        return slot + 1L;
    }

    /** Replaces the object and address of a live handle. */
    void replace(long handle, T object, long address) {
        int slot = slotOf(handle);
        Page page = page(slot);
        page.objects[slot & (PAGE_SIZE - 1)] = object;
        page.addresses[slot & (PAGE_SIZE - 1)] = address;
    }

    @SuppressWarnings("unchecked")
    T object(long handle) {
        int slot = slotOf(handle);
        return (T) page(slot).objects[slot & (PAGE_SIZE - 1)];
    }

    long address(long handle) {
        int slot = slotOf(handle);
        return page(slot).addresses[slot & (PAGE_SIZE - 1)];
    }

    /** Empties the slot of {@code handle} and returns the object it held. */
    T remove(long handle) {
        T object = object(handle);
        if (object == null) {
            throw new IllegalArgumentException("handle " + handle + " is not live");
        }
        int slot = slotOf(handle);
        page(slot).objects[slot & (PAGE_SIZE - 1)] = null;
        returnSlot(slot);
        return object;
    }

    private static int slotOf(long handle) {
        if (handle <= 0 || handle > (long) MAX_PAGES * PAGE_SIZE) {
            throw new IllegalArgumentException("not a handle: " + handle);
        }
        return (int) (handle - 1);
    }

    private Page page(int slot) {
        int index = slot >>> PAGE_BITS;
        Page page = pages.getAcquire(index);
        if (page == null) {
            pages.compareAndExchange(index, null, new Page());
            page = pages.getAcquire(index);
        }
        return page;
    }

    private int takeSlot() {
        Magazine local = magazine.get();
        if (local.count == 0) {
            refill(local);
        }
        return local.slots[--local.count];
    }

    private void refill(Magazine local) {
        Magazine full = fullMagazines.poll();
        if (full != null) {
            System.arraycopy(full.slots, 0, local.slots, 0, full.count);
            local.count = full.count;
            return;
        }
        int first = neverUsedSlots.getAndAdd(MAGAZINE_SIZE);
        if (first < 0 || first > MAX_PAGES * PAGE_SIZE - MAGAZINE_SIZE) {
            throw new OutOfMemoryError("more than " + (MAX_PAGES * PAGE_SIZE - MAGAZINE_SIZE) + " live handles");
        }
        for (int i = 0; i < MAGAZINE_SIZE; i++) {
            local.slots[i] = first + MAGAZINE_SIZE - 1 - i;
        }
        local.count = MAGAZINE_SIZE;
    }

    private void returnSlot(int slot) {
        Magazine local = magazine.get();
        if (local.count == MAGAZINE_SIZE) {
            Magazine full = new Magazine();
            System.arraycopy(local.slots, 0, full.slots, 0, MAGAZINE_SIZE);
            full.count = MAGAZINE_SIZE;
            fullMagazines.add(full);
            local.count = 0;
        }
        local.slots[local.count++] = slot;
    }
}
