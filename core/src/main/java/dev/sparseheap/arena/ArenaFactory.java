/*
 * How the layer above gives each arena its own metadata. The arena layer owns the frame (base,
 * size, the zeroed boundary) and finds it from any address; what else an arena holds (the page
 * layer's span map) belongs to the layer above, which subclasses HeapArena and hands this
 * factory to ArenaSet. The index then stores the layer's own type, so a lookup is still two
 * loads and nothing is cast from Object.
 *
 * The footprint is part of the factory because an arena's metadata is created whole when the
 * arena is (a fixed-size struct, as in the seeds): it is the unit of the arena layer's
 * metadata accounting and sizes the 32-bit layout's metadata pre-reservation.
 */
package dev.sparseheap.arena;

/**
 * Creates the metadata object of each arena frame for an {@link ArenaSet}.
 *
 * <p>Implementations are stateless and safe for use by any thread; {@link #create} is called
 * under the set's lock.
 *
 * @param <A> the metadata type, a {@link HeapArena}
 */
public interface ArenaFactory<A extends HeapArena> {

    /**
     * The metadata of the frame {@code [base, base + size)}, created whole.
     *
     * @param base frame start, aligned to {@code size}
     * @param size arena bytes, a power of two of at least {@link HeapArena#PAGE_SIZE}
     * @return a new arena with nothing in use and its zeroed boundary at {@code base}
     * @throws IllegalArgumentException when the frame is not aligned to its size
     */
    A create(long base, long size);

    /**
     * Java-heap bytes the metadata of one arena of {@code arenaBytes} takes, the same for every
     * arena of that size: the object and everything it allocates when created.
     *
     * @param arenaBytes arena size
     * @return bytes, by the estimates of {@link HeapArena#objectBytes}
     */
    long footprint(long arenaBytes);
}
