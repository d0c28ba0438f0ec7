package dev.sparseheap.os;

import java.util.List;

/**
 * An address space from which a heap reserves, maps, releases and frees page-aligned ranges.
 *
 * <h2>States of a range</h2>
 * <pre>
 *            reserve                map                 release
 *   none ─────────────▶ reserved ─────────▶ ready ◀──────────────▶ released
 *     ▲                  (no access)     (read/write)    map       (ready, pages handed
 *     │                     │   ▲            │                      back; reads as zero)
 *     │        free         │   └── fault ───┘                           │
 *     └─────────────────────┴──────────────────── free ─────────────────┘
 * </pre>
 * <ul>
 *   <li>{@link #reserve} takes address space without backing it; {@link #reserveExact} does the
 *       same at one address only.</li>
 *   <li>{@link #map} makes a reserved (or released) range readable and writable. Only here can
 *       the system refuse memory, which becomes an {@link OutOfMemoryError}.</li>
 *   <li>{@link #release} gives the physical pages of a ready range back; the range stays
 *       usable and reads as zero when touched again. A released range may be mapped again.</li>
 *   <li>{@link #fault} makes a ready or released range inaccessible again (back to reserved).</li>
 *   <li>{@link #free} returns a range to nothing. Where {@link #freesWholeReservationsOnly()}
 *       holds (Windows semantics) only a whole range exactly as reserved may be freed.</li>
 * </ul>
 *
 * <h2>Arguments</h2>
 * Every address and size must be a multiple of {@link #physicalPageSize()}, sizes must be
 * positive, and {@code address + size} must neither overflow nor pass {@link #addressLimit()}.
 * Violations throw {@link IllegalArgumentException} before anything changes. Operations on a
 * range in the wrong state throw {@link IllegalStateException} where the implementation can
 * tell (the simulation always can; the real OS cannot see other owners' mappings).
 *
 * <h2>Accounting</h2>
 * {@link #reservedBytes()} counts every byte this object holds in any state but none;
 * {@link #mappedBytes()} the ready ones (released bytes included, since they stay accessible);
 * {@link #releasedBytes()} the subset of mapped bytes whose pages were handed back and not yet
 * touched through {@link #map} again.
 *
 * <h2>Thread safety</h2>
 * Implementations are safe for concurrent use by multiple threads. Callers that need a
 * sequence of operations to be atomic (reserve then free on a race) lock above this layer.
 */
public interface AddressSpace {

    /**
     * Reserves {@code size} bytes, preferring {@code hint} like {@code mmap} without
     * {@code MAP_FIXED}: the result may be another address. A hint of 0 lets the system choose.
     *
     * @return the base of the reserved range, or 0 when nothing could be reserved
     */
    long reserve(long hint, long size);

    /**
     * Reserves exactly {@code [address, address + size)}, never another range and never
     * clobbering an existing mapping.
     *
     * @return {@code address} on success, or 0 when any part of the range is taken
     */
    long reserveExact(long address, long size);

    /** Makes a reserved or released range ready (readable and writable). */
    void map(long address, long size);

    /** Hands the physical pages of a ready range back to the system; it reads as zero later. */
    void release(long address, long size);

    /** Returns a range in any state to nothing. */
    void free(long address, long size);

    /** Makes a ready or released range inaccessible (reserved) again. */
    void fault(long address, long size);

    /** The system's page size: the unit of every address and size given here. */
    long physicalPageSize();

    /** Number of significant address bits (32 or 48 on the spaces modelled here). */
    int addressBits();

    /** One past the highest usable address: {@code 1L << addressBits()}. */
    default long addressLimit() {
        return 1L << addressBits();
    }

    /** True where a reservation can only be freed whole, exactly as reserved (Windows). */
    boolean freesWholeReservationsOnly();

    /**
     * True when ranges are backed by real memory that can be read and written through
     * {@code java.lang.foreign}; false for a model with no memory behind it.
     */
    boolean isBackedByMemory();

    /**
     * The end of the program image: the lowest address above the binary and its data, where a
     * 32-bit heap likes to start. On the real OS this is the top of the executable's mappings.
     */
    long programEnd();

    /** The current program break (top of the brk heap), or 0 where there is none. */
    long programBreak();

    /** Bytes held in any state but none. */
    long reservedBytes();

    /** Bytes ready for access (released bytes included). */
    long mappedBytes();

    /** Bytes whose physical pages were handed back and not mapped again since. */
    long releasedBytes();

    /** A short human name: "linux", "simulated linux 48-bit 4 KiB", … */
    String describe();

    /**
     * The mappings this space knows of, sorted by address and disjoint: every range it holds,
     * with its state ({@link RangeOwner#HEAP}), and the mappings of others in the process that
     * it can see ({@link RangeOwner#FOREIGN}, listed {@link RangeState#READY}). A simulated
     * space knows its foreign mappings exactly; the real one reads them from the kernel's list
     * of the process's mappings, so they describe the moment of the call and may change at any
     * time after it.
     *
     * @return an immutable snapshot
     * @throws IllegalStateException when the kernel's list cannot be read
     */
    List<Mapping> mappings();
}
