/*
 * The registry of every allocator the benchmarks compare, in report order: sparseheap first (the
 * reference of every ratio), then the native peers through java.lang.foreign, then Netty, then
 * the JDK arenas. An entry whose library is absent stays in the registry and reports why it is
 * missing; the tools print that reason instead of dropping the peer.
 */
package dev.sparseheap.bench;

import dev.sparseheap.ArenaLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Names, descriptions, availability and factories of all benchmark allocators.
 *
 * <p>Stateless and thread-safe.
 */
public final class Allocators {

    /** The allocator every ratio is relative to. */
    public static final String REFERENCE = "sparseheap";

    /**
     * One allocator of the comparison.
     *
     * @param name          registry name used on command lines and in reports
     * @param description   what it is and how it is configured
     * @param library       the shared library it loads, or empty
     * @param debianPackage the Debian package that provides the library, or empty
     * @param factory       creates a fresh instance
     */
    public record Entry(String name, String description, Optional<String> library,
                        Optional<String> debianPackage, Supplier<Allocator> factory) {

        /** Why the allocator cannot run here, or empty when it can. */
        public Optional<String> missingReason() {
            return library.flatMap(Allocators::libraryMissingReason)
                    .map(reason -> debianPackage.map(pkg -> reason + " (Debian package " + pkg + ")").orElse(reason));
        }

        public boolean available() {
            return missingReason().isEmpty();
        }

        public Allocator create() {
            return factory.get();
        }
    }

    private static final List<Entry> ALL = List.of(
            javaEntry("sparseheap", "sparseheap, sparse arena layout (seed 004), thread caches on",
                    () -> SparseHeapAllocator.create(ArenaLayout.SPARSE)),
            javaEntry("sparseheap-contiguous", "sparseheap, contiguous arena layout (seed 000), thread caches on",
                    () -> SparseHeapAllocator.create(ArenaLayout.CONTIGUOUS)),
            javaEntry("sparseheap-sampled", "sparseheap, sparse layout, allocation sites sampled every 512 KiB",
                    SparseHeapAllocator::sampled),
            new Entry("glibc", "glibc malloc of the JVM process, through FFM", Optional.empty(), Optional.empty(),
                    GlibcAllocator::new),
            nativeEntry("jemalloc", "jemalloc, plain C symbols of its own library, through FFM",
                    JemallocAllocator.LIBRARY, "libjemalloc2", JemallocAllocator::new),
            nativeEntry("mimalloc", "mimalloc mi_ functions, through FFM",
                    MimallocAllocator.LIBRARY, "libmimalloc2.0", MimallocAllocator::new),
            nativeEntry("tcmalloc", "TCMalloc (gperftools minimal) tc_ functions, through FFM",
                    TcmallocAllocator.LIBRARY, "libtcmalloc-minimal4", TcmallocAllocator::new),
            javaEntry("netty-pooled", "Netty PooledByteBufAllocator, direct buffers, caches for all threads",
                    NettyAllocator::pooled),
            javaEntry("netty-adaptive", "Netty AdaptiveByteBufAllocator, direct buffers",
                    NettyAllocator::adaptive),
            javaEntry("jdk-confined", "JDK Arena.ofConfined, one arena per thread per batch",
                    () -> new JdkArenaAllocator(JdkArenaAllocator.Kind.CONFINED)),
            javaEntry("jdk-shared", "JDK Arena.ofShared, one arena per thread per batch",
                    () -> new JdkArenaAllocator(JdkArenaAllocator.Kind.SHARED)));

    private Allocators() {
    }

    /** Every registered allocator, available or not, in report order. */
    public static List<Entry> all() {
        return ALL;
    }

    /** The entries named, in the order given. */
    public static List<Entry> named(List<String> names) {
        var entries = new ArrayList<Entry>();
        for (String name : names) {
            entries.add(ALL.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("unknown allocator '" + name + "'; known: " + names())));
        }
        return entries;
    }

    /** The registered names, comma separated. */
    public static String names() {
        return String.join(", ", ALL.stream().map(Entry::name).toList());
    }

    private static Entry javaEntry(String name, String description, Supplier<Allocator> factory) {
        return new Entry(name, description, Optional.empty(), Optional.empty(), factory);
    }

    private static Entry nativeEntry(String name, String description, String library, String debianPackage,
                                     Supplier<Allocator> factory) {
        return new Entry(name, description, Optional.of(library), Optional.of(debianPackage), factory);
    }

    /**
     * The environment setting that lets libraries built with initial-exec thread-local storage
     * (Debian's jemalloc) be loaded after process start: glibc reserves only a small surplus of
     * static TLS for such late loads unless told otherwise.
     */
    public static final String STATIC_TLS_TUNABLE = "glibc.rtld.optional_static_tls=16384";

    @SuppressWarnings("restricted")
    private static Optional<String> libraryMissingReason(String library) {
        try (Arena probe = Arena.ofConfined()) {
            SymbolLookup.libraryLookup(library, probe);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            String tunables = System.getenv().getOrDefault("GLIBC_TUNABLES", "");
            String hint = tunables.contains("optional_static_tls") ? ""
                    : "; if it is installed, it may need more static TLS than glibc keeps for late loads: start the JVM with GLIBC_TUNABLES="
                    + STATIC_TLS_TUNABLE + " (./sparseheap does)";
            return Optional.of(library + " cannot be loaded: " + e.getMessage() + hint);
        }
    }
}
