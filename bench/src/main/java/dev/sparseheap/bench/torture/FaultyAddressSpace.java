/*
 * An address space that fails now and then, for the torture run: it delegates to a real one
 * (the process's LinuxAddressSpace) and makes reserve, reserveExact, map and release fail at
 * random, at a seeded rate, exactly the way the AddressSpace contract lets a real system fail:
 *
 *   reserve, reserveExact  return 0: nothing was reserved;
 *   map                    throws OutOfMemoryError: the system refused the memory;
 *   release                throws IllegalStateException, as LinuxAddressSpace does when madvise
 *                          fails: the range stays ready and keeps its pages.
 *
 * An injected failure changes nothing: the delegate is not called at all. Only well-formed calls
 * may fail; a call with a bad address or size goes straight to the delegate, which rejects it
 * with the IllegalArgumentException the contract asks for. free and fault always delegate:
 * the contract gives them no way to fail but a bug, and a heap's close frees everything.
 *
 * Every injected failure is counted per operation, so a caller that runs alone on the heap above
 * can tell whether an error it saw came from an injected failure.
 */
package dev.sparseheap.bench.torture;

import dev.sparseheap.os.AddressSpace;
import dev.sparseheap.os.Mapping;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A failing {@link AddressSpace} over a real one.
 *
 * <p>Thread-safe: the random stream is drawn under this object's monitor; counters are atomic.
 */
public final class FaultyAddressSpace implements AddressSpace {

    /** The message of every injected failure. */
    public static final String INJECTED = "injected failure";

    private final AddressSpace delegate;
    private final double failureRate;
    private final SplittableRandom random;
    private final AtomicLong reserveFailures = new AtomicLong();
    private final AtomicLong mapFailures = new AtomicLong();
    private final AtomicLong releaseFailures = new AtomicLong();

    /**
     * Fails each well-formed reserve, reserveExact, map and release of {@code delegate} with
     * probability {@code failureRate}, drawn from a stream seeded with {@code seed}.
     *
     * @throws IllegalArgumentException if the rate is not within [0, 1]
     */
    public FaultyAddressSpace(AddressSpace delegate, double failureRate, long seed) {
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("failure rate " + failureRate + " is not within [0, 1]");
        }
        this.delegate = delegate;
        this.failureRate = failureRate;
        this.random = new SplittableRandom(seed);
    }

    /** Failures injected into reserve and reserveExact so far. */
    public long reserveFailures() {
        return reserveFailures.get();
    }

    /** Failures injected into map so far. */
    public long mapFailures() {
        return mapFailures.get();
    }

    /** Failures injected into release so far. */
    public long releaseFailures() {
        return releaseFailures.get();
    }

    /** All failures injected so far. */
    public long injectedFailures() {
        return reserveFailures() + mapFailures() + releaseFailures();
    }

    @Override
    public long reserve(long hint, long size) {
        if (wellFormed(hint, size) && fails(reserveFailures)) {
            return 0;
        }
        return delegate.reserve(hint, size);
    }

    @Override
    public long reserveExact(long address, long size) {
        if (wellFormed(address, size) && fails(reserveFailures)) {
            return 0;
        }
        return delegate.reserveExact(address, size);
    }

    @Override
    public void map(long address, long size) {
        if (wellFormed(address, size) && fails(mapFailures)) {
            throw new OutOfMemoryError("map(0x%x, 0x%x): %s".formatted(address, size, INJECTED));
        }
        delegate.map(address, size);
    }

    @Override
    public void release(long address, long size) {
        if (wellFormed(address, size) && fails(releaseFailures)) {
            throw new IllegalStateException("release(0x%x, 0x%x): %s".formatted(address, size, INJECTED));
        }
        delegate.release(address, size);
    }

    @Override
    public void free(long address, long size) {
        delegate.free(address, size);
    }

    @Override
    public void fault(long address, long size) {
        delegate.fault(address, size);
    }

    @Override
    public long physicalPageSize() {
        return delegate.physicalPageSize();
    }

    @Override
    public int addressBits() {
        return delegate.addressBits();
    }

    @Override
    public boolean freesWholeReservationsOnly() {
        return delegate.freesWholeReservationsOnly();
    }

    @Override
    public boolean isBackedByMemory() {
        return delegate.isBackedByMemory();
    }

    @Override
    public List<Mapping> mappings() {
        return delegate.mappings();
    }

    @Override
    public long programEnd() {
        return delegate.programEnd();
    }

    @Override
    public long programBreak() {
        return delegate.programBreak();
    }

    @Override
    public long reservedBytes() {
        return delegate.reservedBytes();
    }

    @Override
    public long mappedBytes() {
        return delegate.mappedBytes();
    }

    @Override
    public long releasedBytes() {
        return delegate.releasedBytes();
    }

    @Override
    public String describe() {
        return delegate.describe() + ", failing at rate " + failureRate;
    }

    /**
     * Whether the arguments obey the contract's rules (page multiples, positive size, no
     * overflow, within the address limit); a zero address passes, as a reservation hint of none.
     */
    private boolean wellFormed(long address, long size) {
        long page = physicalPageSize();
        long limit = addressLimit();
        return size > 0 && size % page == 0 && size <= limit
                && address >= 0 && address % page == 0 && address <= limit - size;
    }

    private boolean fails(AtomicLong counter) {
        boolean fails;
        synchronized (random) {
            fails = random.nextDouble() < failureRate;
        }
        if (fails) {
            counter.incrementAndGet();
        }
        return fails;
    }
}
