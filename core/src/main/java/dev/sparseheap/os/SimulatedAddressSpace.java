/*
 * A pure-Java model of a process address space, with no memory behind it.
 *
 * The simulation exists for what the real address space of a test machine cannot show: a
 * 32-bit space, Windows reservation rules, the QEMU hint quirk, terabyte layouts, foreign
 * mappings that appear exactly where the heap wants to grow, address-space and commit limits,
 * and failures on demand. Heap algorithms run over it unchanged, since no allocator metadata
 * lives in heap memory.
 *
 * The model
 *   - A RangeTable holds every mapping (heap or foreign) by base, so each call costs
 *     O(log n + k) and a terabyte of reservations is as cheap as a megabyte.
 *   - Nothing is ever given below 64 KiB (page zero and the low guard, like mmap_min_addr).
 *   - The program image [imageBase, programEnd) and the brk heap [programEnd, programBreak)
 *     are foreign mappings present from the start. Above the higher of the two the kernel
 *     keeps a gap of BRK_GAP_BYTES free for brk growth, which it never hands out.
 *   - Limits: reservationLimit caps all bytes held, heap and foreign (ulimit -v);
 *     mappingLimit caps heap bytes ready or released (strict overcommit, where pages handed
 *     back with MADV_DONTNEED stay charged).
 *
 * Hint semantics (the seeds depend on each)
 *   LINUX   reserve honours a hint whose range is free. A hint that lands inside the gap
 *           above the program break is nudged up to the first address the kernel will give
 *           (the end of the gap), which is why a hint "at the end of the data segment" works
 *           on Linux. Otherwise the kernel takes the highest free gap below mmapBase that
 *           fits (top-down), and falls back to the lowest gap above mmapBase.
 *   QEMU    as LINUX, except that a hint inside the gap above the break is not nudged: the
 *           mapping lands elsewhere (top-down), far from the hint. This is the quirk the seed
 *           works around by adding 256 KiB to the end of the binary itself.
 *   WINDOWS reserve is exact-or-fail at a non-zero hint; a zero hint takes the lowest free
 *           range from 64 KiB up, on the 64 KiB allocation granularity. A reservation can be
 *           freed only whole, exactly as reserved, so each reservation is its own group in
 *           the table and keeps its boundaries; map, release and fault work on any part,
 *           even across adjacent reservations (a real Windows layer commits and decommits
 *           each reservation in turn, which is the AddressSpace's job, not its caller's).
 *
 * Transitions (all semantics): map takes reserved, ready or released heap pages to ready
 * (idempotent on ready pages, like mprotect); release takes ready or released pages to
 * released; fault takes heap pages in any state to reserved; free takes them to nothing.
 * Anything else, and any operation on foreign pages or on pages not held, is an
 * IllegalStateException that changes nothing.
 */
package dev.sparseheap.os;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An {@link AddressSpace} simulated in Java: reservations, mappings and limits are modelled
 * exactly, but there is no memory behind them ({@link #isBackedByMemory()} is false).
 *
 * <p>Built with {@link #builder()}; see the file comment for the Linux, Windows and QEMU
 * semantics. Besides the {@link AddressSpace} operations it lets tests place foreign
 * mappings ({@link #mapForeign}), inject failures ({@link #failNext}), and inspect the
 * layout ({@link #mappings()}) and the call counts ({@link #operationCount}).
 *
 * <p>Thread-safe: every method that reads or changes the layout holds this object's monitor;
 * the byte counters are read without it.
 */
public final class SimulatedAddressSpace implements AddressSpace {

    /** Lowest address ever handed out: page zero and the low guard are never mapped. */
    static final long MIN_ADDRESS = 64L << 10;

    /** Free space the kernel keeps above the program break for brk growth. */
    static final long BRK_GAP_BYTES = 128L << 10;

    /** Windows hands out reservations on this granularity when it chooses the address. */
    static final long WINDOWS_GRANULARITY = 64L << 10;

    /** How the simulated kernel treats hints and frees. */
    public enum Semantics {
        /** mmap: hints honoured when free, else top-down from the mmap base; partial frees. */
        LINUX,
        /** VirtualAlloc: exact-or-fail hints, bottom-up when no hint, whole-reservation frees. */
        WINDOWS,
        /** Linux under QEMU user mode: as LINUX but a hint near the break is not nudged. */
        QEMU
    }

    /** The operations whose calls are counted and whose failures can be injected. */
    public enum Operation {
        /** {@link AddressSpace#reserve}. */
        RESERVE,
        /** {@link AddressSpace#reserveExact}. */
        RESERVE_EXACT,
        /** {@link AddressSpace#map}. */
        MAP,
        /** {@link AddressSpace#release}. */
        RELEASE,
        /** {@link AddressSpace#fault}. */
        FAULT,
        /** {@link AddressSpace#free}. */
        FREE
    }

    private static final Set<RangeState> ANY_STATE = EnumSet.allOf(RangeState.class);
    private static final Set<RangeState> ACCESSIBLE = EnumSet.of(RangeState.READY, RangeState.RELEASED);

    private final Semantics semantics;
    private final int addressBits;
    private final long pageSize;
    private final long mmapBase;
    private final long programEnd;
    private final long programBreak;
    private final long brkGapBase;
    private final long brkGapEnd;
    private final long reservationLimit;
    private final long mappingLimit;
    private final RangeTable table = new RangeTable();
    private final Map<Operation, Long> callCounts = new EnumMap<>(Operation.class);
    private final Map<Operation, Integer> injectedFailures = new EnumMap<>(Operation.class);

    private SimulatedAddressSpace(Builder builder) {
        semantics = builder.semantics;
        addressBits = builder.addressBits;
        pageSize = builder.physicalPageSize;
        mmapBase = builder.mmapBase();
        programEnd = builder.programEnd();
        programBreak = builder.programBreak();
        reservationLimit = builder.reservationLimit;
        mappingLimit = builder.mappingLimit;
        long imageBase = Math.floorDiv(builder.imageBase(), pageSize) * pageSize;
        long imageEnd = alignUp(programEnd);
        long breakEnd = alignUp(Math.max(programEnd, programBreak));
        brkGapBase = breakEnd;
        brkGapEnd = breakEnd + alignUp(BRK_GAP_BYTES);
        for (var op : Operation.values()) {
            callCounts.put(op, 0L);
            injectedFailures.put(op, 0);
        }
        table.block(0, MIN_ADDRESS);
        table.block(brkGapBase, brkGapEnd);
        if (imageEnd > imageBase) {
            addStartupForeign("program image", imageBase, imageEnd);
        }
        if (breakEnd > imageEnd) {
            addStartupForeign("brk heap", imageEnd, breakEnd);
        }
        for (long[] foreign : builder.foreignMappings) {
            addStartupForeign("foreign mapping", foreign[0], foreign[0] + foreign[1]);
        }
    }

    private void addStartupForeign(String what, long base, long end) {
        RangeArguments.checkRange("foreignMapping", base, end - base, pageSize, addressLimit());
        if (!table.isFree(base, end)) {
            throw new IllegalArgumentException(what + " [" + RangeArguments.hex(base) + ", "
                    + RangeArguments.hex(end) + ") overlaps page zero, the program image, the brk heap, "
                    + "the gap above the break or another foreign mapping");
        }
        table.add(base, end, RangeState.READY, RangeOwner.FOREIGN, base);
    }

    private long alignUp(long value) {
        return Math.ceilDiv(value, pageSize) * pageSize;
    }

    /**
     * A builder with defaults: 48-bit, 4 KiB pages, Linux semantics, no limits.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public synchronized long reserve(long hint, long size) {
        count(Operation.RESERVE);
        RangeArguments.checkHint("reserve", hint, size, pageSize, addressLimit());
        if (injected(Operation.RESERVE) || !withinReservationLimit(size)) {
            return 0;
        }
        long base = switch (semantics) {
            case LINUX -> hintedOrTopDown(nudgedAboveBreak(hint), size);
            case QEMU -> hintedOrTopDown(hint, size);
            case WINDOWS -> hint != 0 ? exactOrMinusOne(hint, size)
                    : table.lowestFit(MIN_ADDRESS, addressLimit(), size, Math.max(pageSize, WINDOWS_GRANULARITY));
        };
        return base < 0 ? 0 : addReservation(base, size);
    }

    /** The first address the kernel would give for a hint inside the gap above the break. */
    private long nudgedAboveBreak(long hint) {
        return hint >= brkGapBase && hint < brkGapEnd ? brkGapEnd : hint;
    }

    private long hintedOrTopDown(long hint, long size) {
        long honoured = exactOrMinusOne(hint, size);
        if (honoured >= 0) {
            return honoured;
        }
        long topDown = table.highestFit(MIN_ADDRESS, mmapBase, size, pageSize);
        return topDown >= 0 ? topDown : table.lowestFit(mmapBase, addressLimit(), size, pageSize);
    }

    private long exactOrMinusOne(long address, long size) {
        return RangeArguments.hintFits(address, size, addressLimit()) && table.isFree(address, address + size)
                ? address : -1;
    }

    @Override
    public synchronized long reserveExact(long address, long size) {
        count(Operation.RESERVE_EXACT);
        RangeArguments.checkRange("reserveExact", address, size, pageSize, addressLimit());
        if (injected(Operation.RESERVE_EXACT) || !withinReservationLimit(size)
                || exactOrMinusOne(address, size) < 0) {
            return 0;
        }
        return addReservation(address, size);
    }

    private boolean withinReservationLimit(long size) {
        return table.heldBytes() <= reservationLimit - size;
    }

    private long addReservation(long base, long size) {
        long group = semantics == Semantics.WINDOWS ? base : 0;
        table.add(base, base + size, RangeState.RESERVED, RangeOwner.HEAP, group);
        return base;
    }

    @Override
    public synchronized void map(long address, long size) {
        count(Operation.MAP);
        RangeArguments.checkRange("map", address, size, pageSize, addressLimit());
        String call = RangeArguments.call("map", address, size);
        if (injected(Operation.MAP)) {
            throw new OutOfMemoryError(call + ": injected failure");
        }
        long newlyMapped = 0;
        for (var range : table.require(call, address, address + size, ANY_STATE)) {
            if (range.state() == RangeState.RESERVED) {
                newlyMapped += Math.min(range.end(), address + size) - Math.max(range.base(), address);
            }
        }
        if (table.heapMappedBytes() > mappingLimit - newlyMapped) {
            throw new OutOfMemoryError(call + ": strict overcommit limit of " + mappingLimit
                    + " bytes reached (" + table.heapMappedBytes() + " mapped, " + newlyMapped + " more asked)");
        }
        table.setState(address, address + size, RangeState.READY);
    }

    @Override
    public synchronized void release(long address, long size) {
        transition(Operation.RELEASE, "release", address, size, ACCESSIBLE, RangeState.RELEASED);
    }

    @Override
    public synchronized void fault(long address, long size) {
        transition(Operation.FAULT, "fault", address, size, ANY_STATE, RangeState.RESERVED);
    }

    private void transition(Operation op, String name, long address, long size, Set<RangeState> from, RangeState to) {
        count(op);
        RangeArguments.checkRange(name, address, size, pageSize, addressLimit());
        String call = RangeArguments.call(name, address, size);
        failIfInjected(op, call);
        table.require(call, address, address + size, from);
        table.setState(address, address + size, to);
    }

    @Override
    public synchronized void free(long address, long size) {
        count(Operation.FREE);
        RangeArguments.checkRange("free", address, size, pageSize, addressLimit());
        String call = RangeArguments.call("free", address, size);
        failIfInjected(Operation.FREE, call);
        var covered = table.require(call, address, address + size, ANY_STATE);
        if (semantics == Semantics.WINDOWS) {
            requireWholeReservation(call, address, address + size, covered);
        }
        table.remove(address, address + size);
    }

    /**
     * Each Windows reservation is its own group, whose value is its base; the ranges covered
     * must all belong to the reservation starting at {@code base}, and the range at
     * {@code end} must not.
     */
    private void requireWholeReservation(String call, long base, long end, List<RangeTable.Range> covered) {
        var after = table.rangeContaining(end);
        boolean whole = covered.stream().allMatch(r -> r.group() == base)
                && covered.getLast().end() == end
                && (after == null || after.group() != base);
        if (!whole) {
            throw new IllegalStateException(call + ": Windows frees only whole reservations, and ["
                    + RangeArguments.hex(base) + ", " + RangeArguments.hex(end) + ") is not one");
        }
    }

    private void failIfInjected(Operation op, String call) {
        if (injected(op)) {
            throw new IllegalStateException(call + ": injected failure");
        }
    }

    private void count(Operation op) {
        callCounts.merge(op, 1L, Long::sum);
    }

    private boolean injected(Operation op) {
        int remaining = injectedFailures.get(op);
        if (remaining == 0) {
            return false;
        }
        injectedFailures.put(op, remaining - 1);
        return true;
    }

    /**
     * A foreign mapping appears now at exactly {@code [base, base + size)}, as another library
     * of the process would map it. It counts toward the reservation limit but is never refused
     * by it: the world does not ask the heap.
     *
     * @param base first address, a multiple of the physical page
     * @param size bytes, a positive multiple of the physical page
     * @throws IllegalArgumentException for a bad range
     * @throws IllegalStateException    when any part of the range is taken
     */
    public synchronized void mapForeign(long base, long size) {
        RangeArguments.checkRange("mapForeign", base, size, pageSize, addressLimit());
        if (!table.isFree(base, base + size)) {
            throw new IllegalStateException(RangeArguments.call("mapForeign", base, size)
                    + ": range is taken or never handed out");
        }
        table.add(base, base + size, RangeState.READY, RangeOwner.FOREIGN, base);
    }

    /**
     * The next {@code count} calls of {@code op} that pass the argument checks fail: a
     * reservation returns 0, a map throws {@link OutOfMemoryError}, the others throw
     * {@link IllegalStateException}; each message says "injected failure". Replaces any
     * count set before; 0 clears it.
     *
     * @param op    the operation to fail
     * @param count how many of its next calls fail
     * @throws IllegalArgumentException when {@code count} is negative
     */
    public synchronized void failNext(Operation op, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("failNext(" + op + ", " + count + "): count must not be negative");
        }
        injectedFailures.put(op, count);
    }

    /** Every mapping, heap and foreign, in address order; exact, since the simulation placed them all. */
    @Override
    public synchronized List<Mapping> mappings() {
        return table.mappings();
    }

    /**
     * How many calls of {@code op} were made, including refused ones.
     *
     * @param op the operation
     * @return the number of calls since the space was built
     */
    public synchronized long operationCount(Operation op) {
        return callCounts.get(op);
    }

    /**
     * The semantics this space was built with.
     *
     * @return Linux, Windows or QEMU
     */
    public Semantics semantics() {
        return semantics;
    }

    /**
     * Where the top-down search for a free gap starts.
     *
     * @return an address
     */
    public long mmapBase() {
        return mmapBase;
    }

    /**
     * Bytes held by heap and foreign mappings together: what the reservation limit caps.
     *
     * @return bytes
     */
    public long heldBytes() {
        return table.heldBytes();
    }

    @Override
    public long physicalPageSize() {
        return pageSize;
    }

    @Override
    public int addressBits() {
        return addressBits;
    }

    @Override
    public boolean freesWholeReservationsOnly() {
        return semantics == Semantics.WINDOWS;
    }

    @Override
    public boolean isBackedByMemory() {
        return false;
    }

    @Override
    public long programEnd() {
        return programEnd;
    }

    @Override
    public long programBreak() {
        return programBreak;
    }

    @Override
    public long reservedBytes() {
        return table.heapReservedBytes();
    }

    @Override
    public long mappedBytes() {
        return table.heapMappedBytes();
    }

    @Override
    public long releasedBytes() {
        return table.heapReleasedBytes();
    }

    @Override
    public String describe() {
        return "simulated " + semantics.name().toLowerCase() + " " + addressBits + "-bit "
                + (pageSize >> 10) + " KiB";
    }

    /**
     * Configures a {@link SimulatedAddressSpace}. Values are checked by {@link #build()},
     * which throws {@link IllegalArgumentException} naming the bad one.
     *
     * <p>Not thread-safe; use from one thread.
     */
    public static final class Builder {
        private int addressBits = 48;
        private long physicalPageSize = 4096;
        private Semantics semantics = Semantics.LINUX;
        private Long mmapBase;
        private Long programEnd;
        private Long programBreak;
        private long reservationLimit = Long.MAX_VALUE;
        private long mappingLimit = Long.MAX_VALUE;
        private final List<long[]> foreignMappings = new ArrayList<>();

        private Builder() {
        }

        /**
         * Significant address bits.
         *
         * @param bits 32 or 48 (default 48)
         * @return this builder
         */
        public Builder addressBits(int bits) {
            addressBits = bits;
            return this;
        }

        /**
         * The physical page size.
         *
         * @param bytes 4096, 16384 or 65536 (default 4096)
         * @return this builder
         */
        public Builder physicalPageSize(long bytes) {
            physicalPageSize = bytes;
            return this;
        }

        /**
         * Hint and free semantics.
         *
         * @param value Linux (default), Windows or QEMU
         * @return this builder
         * @throws NullPointerException when {@code value} is null
         */
        public Builder semantics(Semantics value) {
            semantics = Objects.requireNonNull(value, "semantics");
            return this;
        }

        /**
         * Where the top-down search starts, a page multiple (default 0x7f00_0000_0000 on
         * 48-bit, 0xf000_0000 on 32-bit).
         *
         * @param address the mmap base
         * @return this builder
         */
        public Builder mmapBase(long address) {
            mmapBase = address;
            return this;
        }

        /**
         * End of the program image (default 0x80_0000 on 48-bit, 0x0840_0000 on 32-bit). The
         * image is a foreign mapping from 0x40_0000 (48-bit) or 0x0804_8000 (32-bit) up to it.
         *
         * @param address the end of the image
         * @return this builder
         */
        public Builder programEnd(long address) {
            programEnd = address;
            return this;
        }

        /**
         * The program break, 0 for none (default 2 MiB above the program end, none on
         * Windows). The brk heap is a foreign mapping from the program end up to it.
         *
         * @param address the break, or 0
         * @return this builder
         */
        public Builder programBreak(long address) {
            programBreak = address;
            return this;
        }

        /**
         * A foreign mapping present from the start; repeatable.
         *
         * @param base first address, a multiple of the physical page
         * @param size bytes, a positive multiple of the physical page
         * @return this builder
         */
        public Builder foreignMapping(long base, long size) {
            foreignMappings.add(new long[] {base, size});
            return this;
        }

        /**
         * Cap on all bytes held, like {@code ulimit -v}: heap reservations in every state plus
         * foreign mappings, the program image and the brk heap included.
         *
         * @param bytes the cap (default none)
         * @return this builder
         */
        public Builder reservationLimit(long bytes) {
            reservationLimit = bytes;
            return this;
        }

        /**
         * Cap on heap bytes ready or released, like strict overcommit.
         *
         * @param bytes the cap (default none)
         * @return this builder
         */
        public Builder mappingLimit(long bytes) {
            mappingLimit = bytes;
            return this;
        }

        /**
         * The configured space.
         *
         * @return a new space holding nothing but its foreign mappings
         * @throws IllegalArgumentException when a value is out of range or mappings overlap
         */
        public SimulatedAddressSpace build() {
            if (addressBits != 32 && addressBits != 48) {
                throw new IllegalArgumentException("addressBits must be 32 or 48, not " + addressBits);
            }
            if (physicalPageSize != 4096 && physicalPageSize != 16384 && physicalPageSize != 65536) {
                throw new IllegalArgumentException(
                        "physicalPageSize must be 4096, 16384 or 65536, not " + physicalPageSize);
            }
            long limit = 1L << addressBits;
            long base = mmapBase();
            if (base <= MIN_ADDRESS || base > limit || base % physicalPageSize != 0) {
                throw new IllegalArgumentException("mmapBase " + RangeArguments.hex(base)
                        + " must be a page multiple above 64 KiB and at most " + RangeArguments.hex(limit));
            }
            if (programEnd() <= 0 || programEnd() >= limit) {
                throw new IllegalArgumentException("programEnd " + RangeArguments.hex(programEnd())
                        + " must lie inside the address space");
            }
            if (programBreak() != 0 && (programBreak() < programEnd() || programBreak() >= limit)) {
                throw new IllegalArgumentException("programBreak " + RangeArguments.hex(programBreak())
                        + " must be 0 or lie between programEnd and the address limit");
            }
            if (reservationLimit <= 0 || mappingLimit <= 0) {
                throw new IllegalArgumentException("limits must be positive");
            }
            return new SimulatedAddressSpace(this);
        }

        private long mmapBase() {
            return mmapBase != null ? mmapBase : addressBits == 32 ? 0xf000_0000L : 0x7f00_0000_0000L;
        }

        private long imageBase() {
            return addressBits == 32 ? 0x0804_8000L : 0x40_0000L;
        }

        private long programEnd() {
            return programEnd != null ? programEnd : addressBits == 32 ? 0x0840_0000L : 0x80_0000L;
        }

        private long programBreak() {
            if (programBreak != null) {
                return programBreak;
            }
            return semantics == Semantics.WINDOWS ? 0 : programEnd() + (2L << 20);
        }
    }
}
