/*
 * Reserving address space aligned to a large power of two (the arena size), anywhere.
 *
 * An alignment of megabytes is not obtained by chance, so the request is over-sized by one
 * alignment and the unaligned parts are cut off: the result is the aligned middle, or the whole
 * over-sized block when the system happened to return an aligned address. Where reservations
 * can only be freed whole (Windows), cutting is impossible: the block is freed and the aligned
 * part reserved again exactly. Another thread of the process may take that part in between, so
 * this is retried, a bounded number of times; running out of tries is a failure to reserve,
 * reported like any other (null), not a crash.
 */
package dev.sparseheap.arena;

import dev.sparseheap.ArenaRange;

/** Aligned reservations. Stateless; callers serialise access to the ledger. */
final class AlignedReservation {

    /** Attempts before giving up on re-reserving the aligned part of a freed block (Windows). */
    static final int MAX_RETRIES = 100;

    private AlignedReservation() {
    }

    /**
     * Reserves at least {@code size} bytes aligned to {@code align}, preferring {@code hint}.
     *
     * @return the reserved range (its size is {@code size} or {@code size + align}), or null when
     * the address space could not supply it
     */
    static ArenaRange reserve(ReservationLedger ledger, long hint, long size, long align) {
        long oversized = size + align;
        if (oversized < size || oversized > ledger.limit()) {
            return null;
        }
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            long block = ledger.reserve(hint, oversized);
            if (block == 0) {
                return null;
            }
            if ((block & (align - 1)) == 0) {
                return new ArenaRange(block, oversized);
            }
            long aligned = Bytes.roundUp(block, align);
            if (!ledger.space().freesWholeReservationsOnly()) {
                ledger.free(block, aligned - block);
                long tail = block + oversized - (aligned + size);
                if (tail > 0) {
                    ledger.free(aligned + size, tail);
                }
                return new ArenaRange(aligned, size);
            }
            ledger.free(block, oversized);
            if (ledger.reserveExact(aligned, size) == aligned) {
                return new ArenaRange(aligned, size);
            }
        }
        return null;
    }
}
