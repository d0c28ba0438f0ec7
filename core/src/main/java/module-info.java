/**
 * sparseheap: a native-memory allocator for the JVM built the way the Go runtime builds its
 * heap — sparse, size-aligned arenas found through an arena index, growth by hint addresses,
 * spans of pages, size classes, thread caches and a scavenger.
 *
 * <p>A program uses {@link dev.sparseheap.SparseHeap} and the types beside it in
 * {@code dev.sparseheap}; {@code dev.sparseheap.os} holds the address spaces a heap can live in,
 * the real one and a simulated one. Everything else is internal. The arena layer is opened to
 * the tools module only, whose seed scenarios drive arena growth directly over the page layer's
 * arena metadata.
 */
module dev.sparseheap {
    requires jdk.jfr;
    requires java.management;

    exports dev.sparseheap;
    exports dev.sparseheap.os;
    exports dev.sparseheap.arena to dev.sparseheap.tools;
    exports dev.sparseheap.page to dev.sparseheap.tools;
}
