/*
 * The heap's allocation-site sampler: decides which allocations are sampled, records their
 * stacks, and keeps the samples of live objects and those at the peak.
 *
 * Hook points (the whole cost for a heap that samples):
 *   - on allocation, onAllocation(address, size, allocator): one countdown subtraction and
 *     compare (see SampleCountdown); only a sampled allocation goes further;
 *   - on free, mayHold(address): one load from a small table of counters indexed by a hash of
 *     the address, non-zero only where a live sample may lie; only then onFree(address), which
 *     removes the sample in O(1). The table plays the part a per-span "holds sampled objects"
 *     count can play in an object layer that has one.
 * Frees of sampled objects must reach onFree before the object is freed in the heap, so that an
 * address reused at once cannot have its new sample removed by the old free.
 *
 * Countdowns are per thread (a ThreadLocal of this sampler), each with its own random stream
 * split off a root seeded at construction, in the order threads first allocate.
 *
 * Live samples sit in a concurrent map by address. The estimated live bytes (the sum of their
 * weights) are kept on the sampled path; when they pass the peak threshold, the live samples are
 * copied as the peak and the threshold set 1/64 (at least one mean interval) above, so that a
 * growing heap copies O(log) times per doubling, not once per sample.
 */
package dev.sparseheap.profile;

import dev.sparseheap.jfr.AllocationSampleEvent;
import dev.sparseheap.jfr.FlightRecording;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Samples allocations on average once every {@link #meanBytes()} bytes and keeps the samples of
 * live objects.
 *
 * <p>Thread safety: safe for concurrent use by any number of threads; a free may come from any
 * thread.
 */
public final class Sampler {

    private static final int FILTER_BITS = 14;

    private final long meanBytes;
    private final SplittableRandom root;
    private final Predicate<String> heapFrame;
    private final ThreadLocal<SampleCountdown> countdowns;
    private final ConcurrentHashMap<Long, Sample> live = new ConcurrentHashMap<>();
    private final AtomicIntegerArray filter = new AtomicIntegerArray(1 << FILTER_BITS);
    private final AtomicLong liveWeightBytes = new AtomicLong();
    private volatile long peakThreshold;
    private volatile List<Sample> peak = List.of();

    /**
     * @param meanBytes mean bytes between samples, at least 1 (1 samples every allocation)
     * @param seed      seed of the random intervals
     * @param heapFrame which stack frames, by class name, belong to the heap and are left out of
     *                  stacks (the innermost frames only)
     */
    public Sampler(long meanBytes, long seed, Predicate<String> heapFrame) {
        if (meanBytes < 1) {
            throw new IllegalArgumentException("mean sampling interval " + meanBytes + " is not positive");
        }
        this.meanBytes = meanBytes;
        this.root = new SplittableRandom(seed);
        this.heapFrame = name -> name.startsWith("dev.sparseheap.profile.") || heapFrame.test(name);
        this.countdowns = ThreadLocal.withInitial(this::newCountdown);
    }

    private SampleCountdown newCountdown() {
        synchronized (root) {
            return new SampleCountdown(meanBytes, root.split());
        }
    }

    /** Mean bytes between samples. */
    public long meanBytes() {
        return meanBytes;
    }

    /**
     * Counts an allocation of {@code size} bytes at {@code address} and samples it when its
     * thread's countdown runs out. Call it before the address is handed to the caller.
     */
    public void onAllocation(long address, long size, String allocator) {
        if (countdowns.get().count(size)) {
            record(address, size, allocator);
        }
    }

    /** False when no live sample lies at {@code address}; true when one may. */
    public boolean mayHold(long address) {
        return filter.getOpaque(slot(address)) != 0;
    }

    /** Forgets the sample at {@code address}, if any; call before the object is freed. */
    public void onFree(long address) {
        Sample sample = live.remove(address);
        if (sample != null) {
            filter.decrementAndGet(slot(address));
            liveWeightBytes.addAndGet(-Math.round(sample.weightBytes()));
        }
    }

    /** The live sample at {@code address}, or null. */
    public Sample sampleAt(long address) {
        return mayHold(address) ? live.get(address) : null;
    }

    /** Samples of live objects, in no particular order. */
    public List<Sample> liveSamples() {
        return new ArrayList<>(live.values());
    }

    /** The live samples when the estimated live bytes were highest (within 1/64). */
    public List<Sample> peakSamples() {
        return peak;
    }

    private void record(long address, long size, String allocator) {
        Sample sample = new Sample(address, size, allocator, meanBytes, new AllocationTrace(), heapFrame);
        Sample replaced = live.put(address, sample);
        long replacedBytes = 0;
        if (replaced == null) {
            filter.incrementAndGet(slot(address));
        } else {
            replacedBytes = Math.round(replaced.weightBytes());
        }
        long now = liveWeightBytes.addAndGet(Math.round(sample.weightBytes()) - replacedBytes);
        if (now > peakThreshold) {
            updatePeak();
        }
        if (!FlightRecording.started()) {
            return;
        }
        AllocationSampleEvent event = new AllocationSampleEvent();
        if (event.shouldCommit()) {
            event.size = size;
            event.address = address;
            event.allocator = allocator;
            event.weight = Math.round(sample.weightBytes());
            event.commit();
        }
    }

    private synchronized void updatePeak() {
        long now = liveWeightBytes.get();
        if (now > peakThreshold) {
            peak = List.copyOf(live.values());
            peakThreshold = now + Math.max(now >>> 6, meanBytes);
        }
    }

    private static int slot(long address) {
        return (int) ((address >>> 3) * 0x9E3779B97F4A7C15L >>> (Long.SIZE - FILTER_BITS));
    }

    /** The stack of a sampled allocation, filled by the JVM when created. */
    private static final class AllocationTrace extends Throwable {
        AllocationTrace() {
            super("allocated here", null, false, true);
        }
    }
}
