/*
 * The real address space of this process on Linux, through mmap and friends.
 *
 *   reserve      mmap(hint, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE): address
 *                space only; no page is charged or touched.
 *   reserveExact the same with MAP_FIXED_NOREPLACE, which never clobbers a mapping and fails
 *                with EEXIST when the range is taken. Kernels before 4.17 ignore the flag and
 *                treat the address as a hint, so a different address back also means "taken":
 *                it is unmapped again and the call returns 0.
 *   map          mprotect(PROT_READ | PROT_WRITE). Under strict overcommit this is where the
 *                kernel charges the memory and can refuse (ENOMEM), which becomes an
 *                OutOfMemoryError naming the errno.
 *   release      madvise(MADV_DONTNEED): the pages go back; the range stays readable and
 *                writable and reads as zero when touched again.
 *   fault        mprotect(PROT_NONE), then MADV_DONTNEED so the pages go back too.
 *   free         munmap.
 *
 * Every range this object holds is recorded in a RangeTable with its state. That gives exact
 * accounting and, above all, safety: map, release, fault and free only ever act on ranges
 * this object reserved, in a state the contract allows, so a wrong address from a caller is
 * an IllegalStateException instead of an mprotect or munmap over the JVM's own memory.
 * Arguments are checked (RangeArguments) before any system call, and every failed call is
 * reported with its errno by name.
 *
 * Address bits: x86-64 and aarch64 user space is 47 or 48 bits with 4-level page tables, and
 * the kernel only goes above that for hints above it; this space declares 48 bits and never
 * passes a hint whose range crosses 1 << 48.
 *
 * Concurrency: one lock per instance serialises the table update with its system call, so a
 * range freed by one thread cannot be handed out by the kernel to another thread before the
 * table forgets it. The kernel serialises these calls on the process's mmap lock anyway. The
 * byte counters are read without the lock.
 */
package dev.sparseheap.os;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static dev.sparseheap.os.LinuxSystemCalls.MADV_DONTNEED;
import static dev.sparseheap.os.LinuxSystemCalls.MAP_ANONYMOUS;
import static dev.sparseheap.os.LinuxSystemCalls.MAP_FIXED_NOREPLACE;
import static dev.sparseheap.os.LinuxSystemCalls.MAP_NORESERVE;
import static dev.sparseheap.os.LinuxSystemCalls.MAP_PRIVATE;
import static dev.sparseheap.os.LinuxSystemCalls.PROT_NONE;
import static dev.sparseheap.os.LinuxSystemCalls.PROT_READ_WRITE;
import static dev.sparseheap.os.LinuxSystemCalls.failure;

/**
 * The {@link AddressSpace} of the running process on Linux (x86-64 or aarch64), backed by
 * real memory: a ready range can be read and written through
 * {@code MemorySegment.ofAddress(address).reinterpret(size)}.
 *
 * <p>Operations act only on ranges this instance reserved; anything else is an
 * {@link IllegalStateException}. {@link #map} failures are {@link OutOfMemoryError}s and every
 * failed system call is named with its errno.
 *
 * <p>Thread-safe: changes are serialised per instance; counters are read without locking.
 */
public final class LinuxAddressSpace implements AddressSpace {

    private static final int ADDRESS_BITS = 48;
    private static final int RESERVE_FLAGS = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    private static final Set<RangeState> ANY_STATE = EnumSet.allOf(RangeState.class);
    private static final Set<RangeState> ACCESSIBLE = EnumSet.of(RangeState.READY, RangeState.RELEASED);

    private final long pageSize;
    private final long programEnd;
    private final String architecture;
    private final RangeTable table = new RangeTable();

    private LinuxAddressSpace(long pageSize, long programEnd, String architecture) {
        this.pageSize = pageSize;
        this.programEnd = programEnd;
        this.architecture = architecture;
    }

    /**
     * The address space of this process. Each instance keeps its own table of what it holds and
     * acts only on that; several instances may share the process.
     *
     * @return a new instance holding nothing
     * @throws IllegalStateException when not running on Linux on x86-64 or aarch64, or when
     *                               the page size cannot be read
     */
    public static LinuxAddressSpace create() {
        var os = System.getProperty("os.name", "");
        var arch = System.getProperty("os.arch", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux") || !(arch.equals("amd64") || arch.equals("aarch64"))) {
            throw new IllegalStateException("LinuxAddressSpace needs Linux on x86-64 or aarch64, not "
                    + os + " on " + arch);
        }
        var pageSize = LinuxSystemCalls.sysconf(LinuxSystemCalls.SC_PAGESIZE);
        if (pageSize.value() <= 0) {
            throw new IllegalStateException(failure("sysconf(_SC_PAGESIZE)", pageSize.errno()));
        }
        return new LinuxAddressSpace(pageSize.value(), executableEnd(), arch);
    }

    /** The end of the highest mapping of the running executable, or 0 when none is listed. */
    private static long executableEnd() {
        String executable;
        try {
            executable = Files.readSymbolicLink(Path.of("/proc/self/exe")).toString();
        } catch (IOException e) {
            return 0;
        }
        return ProcMaps.read().stream()
                .filter(region -> region.path().equals(executable))
                .mapToLong(ProcMaps.Region::end)
                .max()
                .orElse(0);
    }

    @Override
    public long reserve(long hint, long size) {
        RangeArguments.checkHint("reserve", hint, size, pageSize, addressLimit());
        long usableHint = RangeArguments.hintFits(hint, size, addressLimit()) ? hint : 0;
        synchronized (table) {
            var mapped = LinuxSystemCalls.mmap(usableHint, size, PROT_NONE, RESERVE_FLAGS);
            return mapped.failed() ? 0 : record(mapped.value(), size);
        }
    }

    @Override
    public long reserveExact(long address, long size) {
        RangeArguments.checkRange("reserveExact", address, size, pageSize, addressLimit());
        synchronized (table) {
            var mapped = LinuxSystemCalls.mmap(address, size, PROT_NONE, RESERVE_FLAGS | MAP_FIXED_NOREPLACE);
            if (mapped.failed()) {
                return 0;
            }
            if (mapped.value() != address) {
                unmap(mapped.value(), size);
                return 0;
            }
            return record(address, size);
        }
    }

    /**
     * Records a fresh reservation, or gives it back when it lies past the address limit.
     * Returns its base, or 0.
     */
    private long record(long base, long size) {
        if (Long.compareUnsigned(base, addressLimit() - size) > 0) {
            unmap(base, size);
            return 0;
        }
        if (!table.isFree(base, base + size)) {
            throw new IllegalStateException(RangeArguments.call("reserve", base, size)
                    + ": the kernel returned a range this space still holds; it was unmapped behind its back");
        }
        table.add(base, base + size, RangeState.RESERVED, RangeOwner.HEAP, 0);
        return base;
    }

    private static void unmap(long base, long size) {
        requireSuccess(LinuxSystemCalls.munmap(base, size), "munmap", base, size);
    }

    @Override
    public void map(long address, long size) {
        RangeArguments.checkRange("map", address, size, pageSize, addressLimit());
        String call = RangeArguments.call("map", address, size);
        synchronized (table) {
            var covered = table.require(call, address, address + size, ANY_STATE);
            if (covered.stream().anyMatch(range -> range.state() == RangeState.RESERVED)) {
                var result = LinuxSystemCalls.mprotect(address, size, PROT_READ_WRITE);
                if (result.failed()) {
                    throw new OutOfMemoryError(rangeFailure(result, "mprotect", address, size));
                }
            }
            table.setState(address, address + size, RangeState.READY);
        }
    }

    @Override
    public void release(long address, long size) {
        RangeArguments.checkRange("release", address, size, pageSize, addressLimit());
        String call = RangeArguments.call("release", address, size);
        synchronized (table) {
            table.require(call, address, address + size, ACCESSIBLE);
            requireSuccess(LinuxSystemCalls.madvise(address, size, MADV_DONTNEED), "madvise", address, size);
            table.setState(address, address + size, RangeState.RELEASED);
        }
    }

    @Override
    public void fault(long address, long size) {
        RangeArguments.checkRange("fault", address, size, pageSize, addressLimit());
        String call = RangeArguments.call("fault", address, size);
        synchronized (table) {
            table.require(call, address, address + size, ANY_STATE);
            requireSuccess(LinuxSystemCalls.mprotect(address, size, PROT_NONE), "mprotect", address, size);
            table.setState(address, address + size, RangeState.RESERVED);
            var advise = LinuxSystemCalls.madvise(address, size, MADV_DONTNEED);
            if (advise.failed()) {
                throw new IllegalStateException(rangeFailure(advise, "madvise", address, size)
                        + "; the range is inaccessible but its pages may still be resident");
            }
        }
    }

    /** The message for a failed system call on a range: the call, its range and the errno by name. */
    private static String rangeFailure(LinuxSystemCalls.Result result, String syscall, long address, long size) {
        return failure(RangeArguments.call(syscall, address, size), result.errno());
    }

    /**
     * Throws {@link IllegalStateException} when a system call failed that the range table
     * cannot be kept right without.
     */
    private static void requireSuccess(LinuxSystemCalls.Result result, String syscall, long address, long size) {
        if (result.failed()) {
            throw new IllegalStateException(rangeFailure(result, syscall, address, size));
        }
    }

    @Override
    public void free(long address, long size) {
        RangeArguments.checkRange("free", address, size, pageSize, addressLimit());
        String call = RangeArguments.call("free", address, size);
        synchronized (table) {
            table.require(call, address, address + size, ANY_STATE);
            unmap(address, size);
            table.remove(address, address + size);
        }
    }

    /**
     * The ranges this instance holds, and the process's other mappings from
     * {@code /proc/self/maps} with the parts this instance holds cut out. The list is read
     * under the instance's lock, so the two agree with each other.
     */
    @Override
    public List<Mapping> mappings() {
        List<Mapping> held;
        List<ProcMaps.Region> regions;
        synchronized (table) {
            held = table.mappings();
            regions = ProcMaps.read();
        }
        List<Mapping> all = new ArrayList<>(held);
        int firstHeld = 0;
        for (ProcMaps.Region region : regions) {
            if (region.start() < 0 || region.end() <= region.start()) {
                continue; // the kernel's own page above the signed range ([vsyscall])
            }
            while (firstHeld < held.size() && held.get(firstHeld).end() <= region.start()) {
                firstHeld++;
            }
            long from = region.start();
            for (int i = firstHeld; i < held.size() && held.get(i).base() < region.end(); i++) {
                Mapping own = held.get(i);
                if (own.base() > from) {
                    all.add(new Mapping(from, own.base() - from, RangeState.READY, RangeOwner.FOREIGN));
                }
                from = Math.max(from, own.end());
            }
            if (from < region.end()) {
                all.add(new Mapping(from, region.end() - from, RangeState.READY, RangeOwner.FOREIGN));
            }
        }
        all.sort(Comparator.comparingLong(Mapping::base));
        return List.copyOf(all);
    }

    @Override
    public long physicalPageSize() {
        return pageSize;
    }

    @Override
    public int addressBits() {
        return ADDRESS_BITS;
    }

    @Override
    public boolean freesWholeReservationsOnly() {
        return false;
    }

    @Override
    public boolean isBackedByMemory() {
        return true;
    }

    /** The end of the running executable's last mapping in {@code /proc/self/maps}, 0 if unknown. */
    @Override
    public long programEnd() {
        return programEnd;
    }

    /** {@code sbrk(0)}, read afresh on every call. */
    @Override
    public long programBreak() {
        var result = LinuxSystemCalls.sbrk(0);
        return result.failed() ? 0 : result.value();
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
        return "linux " + architecture + " " + ADDRESS_BITS + "-bit " + (pageSize >> 10) + " KiB";
    }
}
