/*
 * The API package: everything a program that allocates memory needs, and nothing else. The
 * value types here (ArenaLayout, ArenaRange, ArenaHint, HeapLayout, HeapStats) are plain
 * immutable values with no behaviour beyond checking themselves; the layers below use the first
 * three as their own vocabulary, so a snapshot is a copy, never a translation.
 */

/**
 * sparseheap's API: a native-memory heap for the JVM.
 *
 * <p>{@link dev.sparseheap.SparseHeap} is the heap: {@code malloc}, {@code calloc},
 * {@code mallocAligned}, {@code realloc} and {@code free} on raw addresses, and
 * {@link java.lang.foreign.SegmentAllocator} for segments. {@link dev.sparseheap.SparseHeap#create()}
 * gives a heap on the real OS with defaults; {@link dev.sparseheap.SparseHeap#builder()} chooses
 * the address space (see {@code dev.sparseheap.os}), the {@link dev.sparseheap.ArenaLayout},
 * the arena size, a memory limit and more.
 *
 * <pre>{@code
 * try (SparseHeap heap = SparseHeap.create()) {
 *     long p = heap.malloc(100);
 *     p = heap.realloc(p, 1000);
 *     heap.free(p);
 *     MemorySegment s = heap.allocate(64, 8);   // zeroed
 *     heap.free(s);
 * }
 * }</pre>
 *
 * <p>Snapshots: {@link dev.sparseheap.HeapStats} counts memory and objects;
 * {@link dev.sparseheap.HeapLayout} shows where the heap lies in its address space, in
 * {@link dev.sparseheap.ArenaRange}s and {@link dev.sparseheap.ArenaHint}s.
 * {@link dev.sparseheap.SparseHeap#verify()} checks every invariant and throws
 * {@link dev.sparseheap.HeapCorruptionException} listing what is broken.
 *
 * <p>Errors, everywhere: bad arguments throw {@link java.lang.IllegalArgumentException} and
 * change nothing; use after close throws {@link java.lang.IllegalStateException}; memory refused
 * by a limit or the OS throws {@link java.lang.OutOfMemoryError} naming the size and the reason,
 * and the heap stays usable. Every type states its own thread-safety; the heap itself may be
 * used by any number of threads at once.
 */
package dev.sparseheap;
