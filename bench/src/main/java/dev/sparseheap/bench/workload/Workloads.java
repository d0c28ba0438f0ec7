/*
 * The registry of workloads in report order: the small-object pairs first (the allocator fast
 * path), then the mimalloc-bench and glibc workloads.
 */
package dev.sparseheap.bench.workload;

import java.util.ArrayList;
import java.util.List;

/** All workloads by name. Stateless and thread-safe. */
public final class Workloads {

    private static final List<Workload> ALL = List.of(
            new SmallPairs(16), new SmallPairs(64), new SmallPairs(256), new SmallPairs(1024),
            new Larson(), new XmallocTest(), new CacheSharing(true), new CacheSharing(false),
            new Mstress(), new Rptest(), new AllocTest(), new GlibcSimple(), new GlibcThread(),
            new MallocLarge(), new Mleak());

    private Workloads() {
    }

    public static List<Workload> all() {
        return ALL;
    }

    /** The workloads named, in the order given. */
    public static List<Workload> named(List<String> names) {
        var workloads = new ArrayList<Workload>();
        for (String name : names) {
            workloads.add(ALL.stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("unknown workload '" + name + "'; known: " + names())));
        }
        return workloads;
    }

    public static String names() {
        return String.join(", ", ALL.stream().map(Workload::name).toList());
    }
}
