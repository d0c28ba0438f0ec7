package dev.sparseheap.cli;

import dev.sparseheap.SparseHeap;
import dev.sparseheap.ArenaLayout;
import dev.sparseheap.tools.map.AddressMap;
import dev.sparseheap.tools.map.AddressMapText;
import dev.sparseheap.ByteSize;
import dev.sparseheap.bench.SparseHeapAllocator;
import dev.sparseheap.bench.trace.Trace;
import dev.sparseheap.bench.trace.TraceParser;
import dev.sparseheap.bench.trace.TraceReplayer;
import dev.sparseheap.bench.workload.Workload;
import dev.sparseheap.bench.workload.Workloads;
import dev.sparseheap.os.LinuxAddressSpace;
import dev.sparseheap.os.ProcMaps;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./sparseheap demo}: the main job. Everything the allocator does, shown for real on this
 * process's address space:
 * <ol>
 *   <li>the OS layer: one range through reserve, map, write, release and free, as the kernel
 *       reports it;</li>
 *   <li>a recorded program's allocations (the Lua string trace) replayed on a fresh heap, with
 *       a progress line;</li>
 *   <li>multi-threaded phases on the same heap, objects crossing threads to be freed;</li>
 *   <li>verification of every invariant, the statistics, the memory given back to the OS, and
 *       the map of the address space with the heap's arenas and hints;</li>
 *   <li>where the memory goes: a heap profile of two allocation sites, and a child allocator's
 *       leak report naming its leaking site.</li>
 * </ol>
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Show sparseheap at work on the real address space.")
final class DemoCommand implements Callable<Integer> {

    private static final String DEFAULT_TRACE = "lua-strings.trace.gz";
    private static final List<String> THREADED_WORKLOADS = List.of("larson", "xmalloc-test", "mstress");
    private static final int PROGRESS_EVERY = 50_000;

    @Option(names = "--trace", paramLabel = "FILE",
            description = "Trace to replay (sparseheap-trace 1). Default: " + DEFAULT_TRACE
                    + " from the shared traces beside the repository.")
    private Path trace;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads of the multi-threaded phase (default: available processors, at least 2).")
    private int threads = Math.max(2, Runtime.getRuntime().availableProcessors());

    @Option(names = "--scale", paramLabel = "X",
            description = "Scale of the multi-threaded phase's iteration counts (default: ${DEFAULT-VALUE}).")
    private double scale = 0.5;

    @Spec
    private CommandSpec spec;

    private PrintWriter out;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "sparseheap demo: Java %s, %d processors%n%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        new OsLayerTour(LinuxAddressSpace.create(), out).run();
        try (SparseHeapAllocator allocator = SparseHeapAllocator.create(ArenaLayout.SPARSE)) {
            SparseHeap heap = allocator.heap();
            replayTrace(allocator);
            runThreaded(allocator);
            report(heap);
        }
        new DemoProfilePhase(out).run();
        return 0;
    }

    private void replayTrace(SparseHeapAllocator allocator) {
        Path file = trace != null ? trace : SharedFiles.trace(DEFAULT_TRACE);
        if (file == null || !Files.isReadable(file)) {
            out.printf("Trace replay: skipped, no trace at %s (give one with --trace FILE)%n%n",
                    file == null ? "the shared traces directory" : file);
            return;
        }
        out.println("Trace replay on the real heap: " + file.getFileName());
        Trace parsed = TraceParser.parse(file);
        Progress progress = new Progress(out);
        SparseHeap heap = allocator.heap();
        long nanos = TraceReplayer.replay(parsed, allocator, PROGRESS_EVERY, done -> progress.update(
                String.format(Locale.ROOT, "  %5.1f %%  %,d of %,d events  in use %s", 100.0 * done / parsed.events(),
                        done, parsed.events(), ByteSize.format(heap.stats().inUseBytes()))));
        progress.finish(String.format(Locale.ROOT, "  %,d events in %.0f ms (%,.0f events/s); %,d objects left live, %s",
                parsed.events(), nanos / 1e6, parsed.events() / (nanos / 1e9), heap.stats().objects(),
                ByteSize.format(heap.stats().liveBytes())));
        out.println();
    }

    private void runThreaded(SparseHeapAllocator allocator) {
        out.printf("Multi-threaded phases on the same heap, %d threads, objects freed by other threads:%n", threads);
        Progress progress = new Progress(out);
        for (Workload workload : Workloads.named(THREADED_WORKLOADS)) {
            progress.update("  " + workload.name() + " …");
            long start = System.nanoTime();
            long calls = workload.run(allocator, threads, scale);
            double seconds = (System.nanoTime() - start) / 1e9;
            progress.finish(String.format(Locale.ROOT, "  %-13s %,12d allocator calls in %5.2f s (%,.0f calls/s), contents checked",
                    workload.name(), calls, seconds, calls / seconds));
        }
        out.println();
    }

    private void report(SparseHeap heap) {
        heap.verify();
        out.println("verify: every invariant holds (no overlapping objects, accounting exact, index consistent)");
        out.println();
        out.println("Heap statistics:");
        new HeapReport(out).print(heap.stats());
        long residentBefore = ProcMaps.processResidentBytes();
        long released = heap.releaseMemory();
        long residentAfter = ProcMaps.processResidentBytes();
        out.printf("%nreleaseMemory(): %s of free pages given back to the OS; process resident %s -> %s%n%n",
                ByteSize.format(released), ByteSize.format(residentBefore), ByteSize.format(residentAfter));
        out.println("Address space of this process (heap arenas, hints, other mappings):");
        out.print(AddressMapText.render(AddressMap.of(heap.layout(), AddressMap.PROCESS_CLUSTER_GAP)));
        out.flush();
    }
}
