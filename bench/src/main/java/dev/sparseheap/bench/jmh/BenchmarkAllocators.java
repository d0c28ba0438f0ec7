/*
 * How the JMH benchmarks obtain their allocator: by registry name, so that each JMH fork runs
 * exactly one allocator (its call sites stay monomorphic, the best case for every peer), and a
 * missing peer fails its own parameter with the reason instead of silently measuring nothing.
 */
package dev.sparseheap.bench.jmh;

import dev.sparseheap.bench.Allocator;
import dev.sparseheap.bench.Allocators;

import java.util.List;

/** Creating benchmark allocators by name. Stateless and thread-safe. */
final class BenchmarkAllocators {

    private BenchmarkAllocators() {
    }

    /**
     * A fresh allocator named {@code name}.
     *
     * @throws IllegalStateException naming the reason when the allocator is missing here
     */
    static Allocator open(String name) {
        Allocators.Entry entry = Allocators.named(List.of(name)).getFirst();
        entry.missingReason().ifPresent(reason -> {
            throw new IllegalStateException(name + " is missing: " + reason);
        });
        return entry.create();
    }
}
