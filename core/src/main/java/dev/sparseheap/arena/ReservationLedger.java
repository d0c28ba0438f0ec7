/*
 * Every reservation the heap holds, exactly as the address space handed it out, and the
 * gate through which all of the arena layer's calls to the AddressSpace pass.
 *
 * Keeping the ledger in one place gives three things. Accounting is exact: reserved and mapped
 * bytes are what was asked for and granted, not estimates. Closing frees each reservation the
 * way it was made, which Windows semantics require (a reservation can only be freed whole).
 * And every answer from the address space is checked before use: a reservation that is not
 * physical-page aligned, passes the address limit or overlaps one the heap already holds is a
 * broken address space, reported as IllegalStateException with the addresses, never used.
 *
 * Partial frees (trimming an over-sized aligned reservation on Linux) split a record; mapping a
 * range that crosses several adjacent reservations maps each piece on its own, since on Windows
 * a commit cannot cross reservations either.
 */
package dev.sparseheap.arena;

import dev.sparseheap.ArenaRange;
import dev.sparseheap.os.AddressSpace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The heap's reservations and its calls to the address space. Not thread-safe: the owner serialises access. */
final class ReservationLedger {

    private final AddressSpace space;
    private final long physicalPage;
    private final long limit;
    private final TreeMap<Long, Long> sizeByBase = new TreeMap<>();
    private long reservedBytes;
    private long mappedBytes;

    ReservationLedger(AddressSpace space) {
        this.space = space;
        this.physicalPage = space.physicalPageSize();
        this.limit = space.addressLimit();
    }

    AddressSpace space() {
        return space;
    }

    long physicalPage() {
        return physicalPage;
    }

    long limit() {
        return limit;
    }

    /**
     * Whether {@code [base, base + size)} is a non-empty range inside the address space that a
     * reservation could occupy (address 0 never can: it means "nothing" in every answer).
     */
    boolean fits(long base, long size) {
        return base > 0 && size > 0 && base <= limit - size;
    }

    /**
     * Reserves {@code size} bytes (a multiple of the physical page) near {@code hint}. A hint
     * that cannot hold the range is replaced by 0 (anywhere), an unaligned one is rounded up to
     * the physical page, as the kernel does with an mmap hint.
     *
     * @return the base, or 0 when the address space has nothing
     */
    long reserve(long hint, long size) {
        long alignedHint = Bytes.roundUp(hint, physicalPage);
        long granted = space.reserve(fits(alignedHint, size) ? alignedHint : 0, size);
        if (granted != 0) {
            record(granted, size);
        }
        return granted;
    }

    /**
     * Reserves exactly {@code [address, address + size)}.
     *
     * @return {@code address}, or 0 when any part of it is taken or it does not fit the space
     */
    long reserveExact(long address, long size) {
        if (!fits(address, size)) {
            return 0;
        }
        long granted = space.reserveExact(address, size);
        if (granted != 0 && granted != address) {
            // An exact reservation elsewhere is not ours to keep: give it back and report failure.
            record(granted, size);
            free(granted, size);
            return 0;
        }
        if (granted != 0) {
            record(granted, size);
        }
        return granted;
    }

    private void record(long base, long size) {
        if (base % physicalPage != 0 || !fits(base, size)) {
            throw new IllegalStateException("address space returned [0x" + Long.toHexString(base) + ", 0x"
                    + Long.toHexString(base + size) + "), misaligned to its " + physicalPage
                    + "-byte page or beyond its limit 0x" + Long.toHexString(limit));
        }
        Map.Entry<Long, Long> before = sizeByBase.floorEntry(base + size - 1);
        if (before != null && before.getKey() + before.getValue() > base) {
            throw new IllegalStateException("address space returned [0x" + Long.toHexString(base) + ", 0x"
                    + Long.toHexString(base + size) + ") overlapping the heap's reservation at 0x"
                    + Long.toHexString(before.getKey()));
        }
        sizeByBase.put(base, size);
        reservedBytes += size;
    }

    /** Frees {@code [base, base + size)}, which must lie inside one reservation (whole on Windows). */
    void free(long base, long size) {
        Map.Entry<Long, Long> holder = holder(base, size);
        space.free(base, size);
        long holderBase = holder.getKey();
        long holderEnd = holderBase + holder.getValue();
        sizeByBase.remove(holderBase);
        if (holderBase < base) {
            sizeByBase.put(holderBase, base - holderBase);
        }
        if (base + size < holderEnd) {
            sizeByBase.put(base + size, holderEnd - base - size);
        }
        reservedBytes -= size;
    }

    /**
     * Makes {@code [base, base + size)} ready, one reservation at a time. The range must be covered
     * by reservations the heap holds. When the system refuses a piece, the pieces already mapped
     * are made inaccessible again and the {@link OutOfMemoryError} propagates: nothing changed.
     */
    void map(long base, long size) {
        long address = base;
        long end = base + size;
        try {
            while (address < end) {
                Map.Entry<Long, Long> holder = holder(address, 1);
                long pieceEnd = Math.min(end, holder.getKey() + holder.getValue());
                space.map(address, pieceEnd - address);
                address = pieceEnd;
            }
        } catch (OutOfMemoryError refused) {
            if (address > base) {
                unmapPieces(base, address);
            }
            throw refused;
        }
        mappedBytes += size;
    }

    private void unmapPieces(long base, long end) {
        long address = base;
        while (address < end) {
            Map.Entry<Long, Long> holder = holder(address, 1);
            long pieceEnd = Math.min(end, holder.getKey() + holder.getValue());
            space.fault(address, pieceEnd - address);
            address = pieceEnd;
        }
    }

    private Map.Entry<Long, Long> holder(long base, long size) {
        Map.Entry<Long, Long> holder = sizeByBase.floorEntry(base);
        if (holder == null || holder.getKey() + holder.getValue() < base + size) {
            throw new IllegalStateException("[0x" + Long.toHexString(base) + ", 0x" + Long.toHexString(base + size)
                    + ") is not inside one reservation of the heap");
        }
        return holder;
    }

    /** Bytes the heap holds reserved, in any state. */
    long reservedBytes() {
        return reservedBytes;
    }

    /** Bytes made ready through {@link #map}. */
    long mappedBytes() {
        return mappedBytes;
    }

    /** The reservations, sorted by base, as held. */
    List<ArenaRange> reservations() {
        List<ArenaRange> ranges = new ArrayList<>(sizeByBase.size());
        sizeByBase.forEach((base, size) -> ranges.add(new ArenaRange(base, size)));
        return ranges;
    }

    /** Frees every reservation whole. */
    void freeAll() {
        for (ArenaRange reservation : reservations()) {
            free(reservation.base(), reservation.size());
        }
        mappedBytes = 0;
    }
}
