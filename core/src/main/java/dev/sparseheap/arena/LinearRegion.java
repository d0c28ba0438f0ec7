/*
 * A linear allocator over one pre-reserved region: [base, next) is handed out, [base, mapped)
 * is ready, [mapped, end) is only reserved. Each allocation maps just the physical pages it
 * newly needs, so what the region costs in memory grows with what was taken from it, while the
 * address space it holds is staked out once. On 32-bit the sparse layout uses one for the arena
 * metadata (so that metadata never lands between heap arenas) and one for the initial heap
 * reservation (so that the first arenas come out of one contiguous block).
 *
 * An allocation whose mapping the system refuses changes nothing: next and mapped move only
 * after the mapping succeeded.
 */
package dev.sparseheap.arena;

/** Bump allocation in a reserved region. Not thread-safe: the owner serialises access. */
final class LinearRegion {

    private final ReservationLedger ledger;
    private final long base;
    private final long end;
    private long next;
    private long mapped;

    LinearRegion(ReservationLedger ledger, long base, long size) {
        this.ledger = ledger;
        this.base = base;
        this.end = base + size;
        this.next = base;
        this.mapped = base;
    }

    /**
     * Takes {@code size} bytes aligned to {@code align} (a power of two) and makes them ready.
     *
     * @return the address, or 0 when the region cannot hold them
     */
    long allocate(long size, long align) {
        long start = Bytes.roundUp(next, align);
        if (start > end || size > end - start) {
            return 0;
        }
        long newNext = start + size;
        long mapEnd = Math.min(end, Bytes.roundUp(newNext, ledger.physicalPage()));
        if (mapEnd > mapped) {
            ledger.map(mapped, mapEnd - mapped);
            mapped = mapEnd;
        }
        next = newNext;
        return start;
    }

    /** One past the last address of the region. */
    long end() {
        return end;
    }

    /** Bytes of the region made ready so far. */
    long mappedBytes() {
        return mapped - base;
    }

    /** Whether {@code address} lies in the unallocated part {@code [next, end)}. */
    boolean isFree(long address) {
        return next <= address && address < end;
    }
}
