/**
 * sparseheap: a native-memory allocator for the JVM built the way the Go runtime builds its
 * heap — sparse, size-aligned arenas found through an arena index, growth by hint addresses,
 * spans of pages, size classes, thread caches and a scavenger.
 */
module dev.sparseheap {
    requires jdk.jfr;
    requires java.management;

    exports dev.sparseheap;
    exports dev.sparseheap.os;
    exports dev.sparseheap.arena;
    exports dev.sparseheap.arena.map;
    exports dev.sparseheap.arena.scenario;
}
