/*
 * ./sparseheap profile: a recorded trace replayed on a heap that samples every allocation, and
 * the heap profile by trace event kind and size class, at the trace's peak and at its end.
 *
 * A replay has one allocating stack (the replayer's), so stacks cannot tell its allocations
 * apart. The sites are made of the trace instead: every object is allocated through a child
 * allocator named after the event that last sized it (malloc, calloc, aligned, realloc) and
 * its size class (the heap's object size for small objects, the power of two above for large
 * ones), kind/class as a two-level tree of allocators. A resize that changes class moves the
 * object to the new class's allocator (malloc there, copy, free), as realloc moves it. The
 * profile's sites are then the allocators; in folded output each path gives two frames above
 * the replayer's stack.
 *
 * Objects still live when the trace ends are freed when the allocators close; their count is
 * printed, not reported as a leak, since traces end where their recording stopped.
 */
package dev.sparseheap.cli;

import dev.sparseheap.HeapAllocator;
import dev.sparseheap.HeapLeakException;
import dev.sparseheap.HeapProfile;
import dev.sparseheap.HeapStats;
import dev.sparseheap.SparseHeap;
import dev.sparseheap.ByteSize;
import dev.sparseheap.bench.NativeMemory;
import dev.sparseheap.bench.trace.Trace;
import dev.sparseheap.bench.trace.TraceParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** The {@code profile} subcommand. Not thread-safe; one instance per invocation. */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = {"A trace replayed with every allocation sampled: live bytes by event kind and size class,",
                "at the trace's peak and at its end."})
final class ProfileCommand implements Callable<Integer> {

    private static final int ROWS_SHOWN = 15;

    @Parameters(index = "0", paramLabel = "TRACE", description = "Trace file (sparseheap-trace 1, plain or .gz).")
    private Path traceFile;

    @Option(names = "--folded", paramLabel = "FILE", description = "Also write the peak profile as folded stacks to FILE.")
    private Path folded;

    @Option(names = "--json", description = "Print one JSON document instead of the tables.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    /**
     * Estimated live bytes and objects of one kind and size class.
     *
     * @param kind      the event that last sized the objects: malloc, calloc, aligned or realloc
     * @param sizeClass the size class, e.g. "64 B", or "large <= 1 MiB"
     * @param bytes     live bytes asked for
     * @param objects   live objects
     */
    record Row(String kind, String sizeClass, long bytes, long objects) {
    }

    /**
     * The whole result, as {@code --json} prints it.
     *
     * @param trace     the trace file's name
     * @param events    events replayed
     * @param peakBytes live bytes at the trace's peak, from the trace itself
     * @param peak      the profile at the highest live heap
     * @param end       the profile when the trace ends
     */
    record Result(String trace, int events, long peakBytes, List<Row> peak, List<Row> end) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Trace trace = TraceParser.parse(traceFile);
        Result result;
        try (SparseHeap heap = SparseHeap.builder().sampling(1).samplingSeed(0).build()) {
            Replay replay = new Replay(heap, trace);
            replay.run();
            HeapProfile peak = heap.peakProfile();
            HeapProfile end = heap.profile();
            if (folded != null) {
                try (Writer file = Files.newBufferedWriter(folded)) {
                    peak.writeFolded(file);
                }
            }
            result = new Result(traceFile.getFileName().toString(), trace.events(), trace.peakLiveBytes(), rows(peak), rows(end));
            long left = replay.close();
            if (!json) {
                print(out, result, left);
            }
        }
        if (json) {
            out.println(Json.write(result));
        }
        out.flush();
        return 0;
    }

    private void print(PrintWriter out, Result result, long left) {
        out.printf(Locale.ROOT, "%s: %,d events replayed, every allocation sampled; live bytes by event kind and size class%n",
                result.trace(), result.events());
        out.println("(a replay allocates from one stack, so the sites are the trace's event kinds and size classes)");
        out.printf(Locale.ROOT, "%nAt the peak (the trace's own peak: %s live):%n", ByteSize.format(result.peakBytes()));
        out.print(table(result.peak()));
        out.printf(Locale.ROOT, "%nAt the end of the trace:%n");
        out.print(table(result.end()));
        out.printf(Locale.ROOT, "%n%,d objects were still live at the end (freed on close)%n", left);
        if (folded != null) {
            out.println("folded stacks of the peak profile: " + folded);
        }
    }

    private static String table(List<Row> rows) {
        long total = rows.stream().mapToLong(Row::bytes).sum();
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "  %-8s %-16s %12s %7s %12s%n",
                "kind", "size class", "live bytes", "share", "objects"));
        for (Row row : rows.subList(0, Math.min(ROWS_SHOWN, rows.size()))) {
            text.append(String.format(Locale.ROOT, "  %-8s %-16s %12s %6.1f%% %,12d%n", row.kind(), row.sizeClass(),
                    ByteSize.format(row.bytes()), total == 0 ? 0.0 : 100.0 * row.bytes() / total, row.objects()));
        }
        if (rows.size() > ROWS_SHOWN) {
            text.append(String.format(Locale.ROOT, "  ... %d more rows%n", rows.size() - ROWS_SHOWN));
        }
        text.append(String.format(Locale.ROOT, "  %-25s %12s%n", "total", ByteSize.format(total)));
        return text.toString();
    }

    /** The profile's sites (one per kind/class allocator) as rows, largest first. */
    private static List<Row> rows(HeapProfile profile) {
        Map<String, long[]> byPath = new LinkedHashMap<>();
        for (HeapProfile.Site site : profile.sites()) {
            long[] total = byPath.computeIfAbsent(site.allocator(), path -> new long[2]);
            total[0] += site.bytes();
            total[1] += site.objects();
        }
        List<Row> rows = new ArrayList<>();
        byPath.forEach((path, total) -> {
            int slash = path.indexOf('/');
            rows.add(new Row(path.substring(0, slash), path.substring(slash + 1), total[0], total[1]));
        });
        rows.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        return rows;
    }

    /** One replay of a trace through kind/class allocators of one heap. */
    private static final class Replay {
        private final SparseHeap heap;
        private final Trace trace;
        private final int[] classSizes;
        private final long[] addresses;
        private final HeapAllocator[] owners;
        private final Map<String, HeapAllocator> kinds = new HashMap<>();
        private final Map<String, HeapAllocator> classes = new HashMap<>();

        Replay(SparseHeap heap, Trace trace) {
            this.heap = heap;
            this.trace = trace;
            this.classSizes = heap.stats().sizeClasses().stream().mapToInt(HeapStats.SizeClassStats::objectSize).toArray();
            this.addresses = new long[trace.maxId() + 1];
            this.owners = new HeapAllocator[trace.maxId() + 1];
        }

        void run() {
            for (int i = 0; i < trace.events(); i++) {
                int id = trace.ids()[i];
                long size = trace.sizes()[i];
                switch (trace.kinds()[i]) {
                    case Trace.ALLOCATE -> place(id, allocator("malloc", size), allocator("malloc", size).malloc(size));
                    case Trace.ZEROED -> place(id, allocator("calloc", size), allocator("calloc", size).calloc(size));
                    case Trace.ALIGNED -> {
                        HeapAllocator to = allocator("aligned", size);
                        place(id, to, to.mallocAligned(size, 1L << trace.alignShifts()[i]));
                    }
                    case Trace.RESIZE -> resize(id, size);
                    case Trace.FREE -> {
                        owners[id].free(addresses[id]);
                        owners[id] = null;
                    }
                    default -> throw new IllegalStateException("unknown event kind " + trace.kinds()[i]);
                }
            }
        }

        private void resize(int id, long size) {
            HeapAllocator to = allocator("realloc", size);
            if (owners[id] == to) {
                addresses[id] = to.realloc(addresses[id], size);
                return;
            }
            long moved = to.malloc(size);
            NativeMemory.copy(addresses[id], moved, Math.min(size, owners[id].usableSize(addresses[id])));
            owners[id].free(addresses[id]);
            place(id, to, moved);
        }

        private void place(int id, HeapAllocator owner, long address) {
            owners[id] = owner;
            addresses[id] = address;
        }

        private HeapAllocator allocator(String kind, long size) {
            String sizeClass = sizeClass(size);
            return classes.computeIfAbsent(kind + "/" + sizeClass, path ->
                    kinds.computeIfAbsent(kind, heap::newAllocator).newAllocator(sizeClass));
        }

        private String sizeClass(long size) {
            for (int objectSize : classSizes) {
                if (size <= objectSize) {
                    return ByteSize.format(objectSize);
                }
            }
            return "large <= " + ByteSize.format(Long.highestOneBit(size - 1) << 1);
        }

        /** Closes the allocators, freeing what the trace left live; the number of those objects. */
        long close() {
            long left = 0;
            for (HeapAllocator kind : kinds.values()) {
                try {
                    kind.close();
                } catch (HeapLeakException leftLive) {
                    left += leftLive.objects();
                }
            }
            return left;
        }
    }
}
