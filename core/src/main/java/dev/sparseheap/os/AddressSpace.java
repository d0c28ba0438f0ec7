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
     * @param hint the preferred base, a multiple of the physical page, or 0
     * @param size bytes, a positive multiple of the physical page
     * @return the base of the reserved range, or 0 when nothing could be reserved
     * @throws IllegalArgumentException when the hint or size breaks the argument rules
     */
    long reserve(long hint, long size);

    /**
     * Reserves exactly {@code [address, address + size)}, never another range and never
     * clobbering an existing mapping.
     *
     * @param address the base wanted, a multiple of the physical page
     * @param size    bytes, a positive multiple of the physical page
     * @return {@code address} on success, or 0 when any part of the range is taken
     * @throws IllegalArgumentException when the range breaks the argument rules
     */
    long reserveExact(long address, long size);

    /**
     * Makes a reserved or released range ready (readable and writable).
     *
     * @param address first byte, a multiple of the physical page
     * @param size    bytes, a positive multiple of the physical page
     * @throws IllegalArgumentException when the range breaks the argument rules
     * @throws IllegalStateException    when part of the range is not held by this space
     * @throws OutOfMemoryError         when the system refuses to back the range; nothing changed
     */
    void map(long address, long size);

    /**
     * Hands the physical pages of a ready range back to the system; it reads as zero later.
     *
     * @param address first byte, a multiple of the physical page
     * @param size    bytes, a positive multiple of the physical page
     * @throws IllegalArgumentException when the range breaks the argument rules
     * @throws IllegalStateException    when part of the range is not held by this space or not
     *                                  accessible
     */
    void release(long address, long size);

    /**
     * Returns a range in any state to nothing.
     *
     * @param address first byte, a multiple of the physical page
     * @param size    bytes, a positive multiple of the physical page
     * @throws IllegalArgumentException when the range breaks the argument rules
     * @throws IllegalStateException    when part of the range is not held by this space, or it is
     *                                  not a whole reservation where {@link #freesWholeReservationsOnly()}
     */
    void free(long address, long size);

    /**
     * Makes a ready or released range inaccessible (reserved) again.
     *
     * @param address first byte, a multiple of the physical page
     * @param size    bytes, a positive multiple of the physical page
     * @throws IllegalArgumentException when the range breaks the argument rules
     * @throws IllegalStateException    when part of the range is not held by this space
     */
    void fault(long address, long size);

    /**
     * The system's page size: the unit of every address and size given here.
     *
     * @return bytes, a power of two
     */
    long physicalPageSize();

    /**
     * Number of significant address bits.
     *
     * @return 32 or 48 on the spaces modelled here
     */
    int addressBits();

    /**
     * One past the highest usable address.
     *
     * @return {@code 1L << addressBits()}
     */
    default long addressLimit() {
        return 1L << addressBits();
    }

    /**
     * Whether a reservation can only be freed whole, exactly as reserved (Windows).
     *
     * @return true under Windows semantics
     */
    boolean freesWholeReservationsOnly();

    /**
     * Whether ranges are backed by real memory that can be read and written through
     * {@code java.lang.foreign}.
     *
     * @return false for a model with no memory behind it
     */
    boolean isBackedByMemory();

    /**
     * The end of the program image: the lowest address above the binary and its data, where a
     * 32-bit heap likes to start. On the real OS this is the top of the executable's mappings.
     *
     * @return an address, or 0 when unknown
     */
    long programEnd();

    /**
     * The current program break (top of the brk heap).
     *
     * @return an address, or 0 where there is none
     */
    long programBreak();

    /**
     * Bytes held in any state but none.
     *
     * @return bytes reserved through this space and not freed
     */
    long reservedBytes();

    /**
     * Bytes ready for access.
     *
     * @return ready bytes, released ones included
     */
    long mappedBytes();

    /**
     * Bytes whose physical pages were handed back and not mapped again since.
     *
     * @return released bytes
     */
    long releasedBytes();

    /**
     * A short human name: "linux amd64 48-bit 4 KiB", "simulated linux 48-bit 4 KiB", …
     *
     * @return the name
     */
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
     * @throws java.io.UncheckedIOException when the kernel's list cannot be read
     */
    List<Mapping> mappings();
}
