/*
 * sparseheap's figures as Micrometer meters, in a module of its own so that the core keeps no
 * runtime dependency.
 *
 * Every meter reads the heap when the registry asks (a gauge or function counter over the heap
 * or allocator object), so nothing is cached and the figures agree with stats() at the moment
 * of reading. Gauges hold their heap and allocators weakly, as Micrometer's gauges do. A closed
 * heap reads NaN. Child allocators are bound as they are open when bindTo runs; binding again
 * after creating more adds theirs (Micrometer keeps one meter per name and tags).
 */
package dev.sparseheap.micrometer;

import dev.sparseheap.HeapAllocator;
import dev.sparseheap.HeapStats;
import dev.sparseheap.SparseHeap;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Binds a {@link SparseHeap}'s meters to a {@link MeterRegistry}: gauges
 * {@code sparseheap.memory.reserved}, {@code .mapped}, {@code .used} (pages in use),
 * {@code .live} (usable bytes of live objects), {@code .released} (base unit bytes, tag
 * {@code heap}); {@code sparseheap.allocator.used} and {@code .limit} (tags {@code heap},
 * {@code allocator}: the allocator's path; a limit reads NaN when there is none); function
 * counters {@code sparseheap.allocations}, {@code sparseheap.frees} and
 * {@code sparseheap.bad.frees}.
 *
 * <p>Thread safety: immutable; the meters may be read by any thread.
 */
public final class SparseHeapMetrics implements MeterBinder {

    private final SparseHeap heap;
    private final Tags tags;

    /** Meters of {@code heap}, tagged {@code heap=<its name>} ({@code heap} when unnamed). */
    public SparseHeapMetrics(SparseHeap heap) {
        this(heap, Tags.empty());
    }

    /** Meters of {@code heap} with {@code extraTags} besides the {@code heap} tag. */
    public SparseHeapMetrics(SparseHeap heap, Iterable<Tag> extraTags) {
        this.heap = Objects.requireNonNull(heap, "heap");
        this.tags = Tags.of("heap", heap.name().isEmpty() ? "heap" : heap.name()).and(extraTags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        memoryGauge(registry, "sparseheap.memory.reserved", "Address space held by the heap", HeapStats::reservedBytes);
        memoryGauge(registry, "sparseheap.memory.mapped", "Heap pages ready for access", HeapStats::mappedBytes);
        memoryGauge(registry, "sparseheap.memory.used", "Heap pages in live spans", HeapStats::inUseBytes);
        memoryGauge(registry, "sparseheap.memory.live", "Usable bytes of live objects", HeapStats::liveBytes);
        memoryGauge(registry, "sparseheap.memory.released", "Free pages given back to the OS", HeapStats::releasedBytes);
        counter(registry, "sparseheap.allocations", "Objects allocated", HeapStats::allocations);
        counter(registry, "sparseheap.frees", "Objects freed", HeapStats::frees);
        counter(registry, "sparseheap.bad.frees", "Frees rejected: foreign, interior, double, wrong allocator",
                HeapStats::badFrees);
        Deque<HeapAllocator> open = new ArrayDeque<>(heap.allocators());
        while (!open.isEmpty()) {
            HeapAllocator allocator = open.pop();
            Tags allocatorTags = tags.and("allocator", allocator.path());
            Gauge.builder("sparseheap.allocator.used", allocator, HeapAllocator::used)
                    .description("Usable bytes of the allocator's live objects, its descendants' included")
                    .baseUnit(BaseUnits.BYTES).tags(allocatorTags).register(registry);
            Gauge.builder("sparseheap.allocator.limit", allocator,
                            a -> a.limit() == Long.MAX_VALUE ? Double.NaN : a.limit())
                    .description("Hard limit of the allocator's used bytes").baseUnit(BaseUnits.BYTES)
                    .tags(allocatorTags).register(registry);
            open.addAll(allocator.children());
        }
    }

    private void memoryGauge(MeterRegistry registry, String name, String description, ToLongFunction<HeapStats> figure) {
        Gauge.builder(name, heap, h -> read(h, figure)).description(description).baseUnit(BaseUnits.BYTES)
                .tags(tags).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, ToLongFunction<HeapStats> figure) {
        FunctionCounter.builder(name, heap, h -> read(h, figure)).description(description)
                .baseUnit(BaseUnits.OBJECTS).tags(tags).register(registry);
    }

    private static double read(SparseHeap heap, ToLongFunction<HeapStats> figure) {
        try {
            return figure.applyAsLong(heap.stats());
        } catch (IllegalStateException closed) {
            return Double.NaN;
        }
    }
}
