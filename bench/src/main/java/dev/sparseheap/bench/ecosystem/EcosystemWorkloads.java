/*
 * The registry of ecosystem workloads, in report order.
 */
package dev.sparseheap.bench.ecosystem;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** All ecosystem workloads by name. Stateless and thread-safe. */
public final class EcosystemWorkloads {

    private static final List<EcosystemWorkload> ALL = List.of(new NettyHttpPipeline(), new ArrowVectors());

    private EcosystemWorkloads() {
    }

    public static List<EcosystemWorkload> all() {
        return ALL;
    }

    /** The workload called {@code name}, or empty. */
    public static Optional<EcosystemWorkload> find(String name) {
        return ALL.stream().filter(w -> w.name().equals(name)).findFirst();
    }

    /**
     * The workloads named, in the order given.
     *
     * @throws IllegalArgumentException for a name that is not registered
     */
    public static List<EcosystemWorkload> named(List<String> names) {
        var workloads = new ArrayList<EcosystemWorkload>();
        for (String name : names) {
            workloads.add(find(name).orElseThrow(
                    () -> new IllegalArgumentException("unknown ecosystem workload '" + name + "'; known: " + names())));
        }
        return workloads;
    }

    public static String names() {
        return String.join(", ", ALL.stream().map(EcosystemWorkload::name).toList());
    }
}
