/*
 * The JDK's own arenas as benchmark peers. An Arena frees all its memory at once when closed and
 * nothing individually, so the mapping onto the benchmarks is by batch: each thread allocates
 * from its own current arena, free() only forgets the segment, and endBatch() closes the
 * thread's arena (the next allocation opens a new one). Workloads without a batch structure
 * (objects that outlive a batch or die on another thread) are not applicable to these peers.
 *
 * Segments are kept in a HandleTable, as a JDK user would keep the MemorySegment reference; the
 * table also gives realloc the old size it must copy. Every allocation is aligned to 16 bytes,
 * the alignment C's malloc guarantees on 64-bit Linux, and is zeroed, as Arena.allocate always is.
 */
package dev.sparseheap.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Allocator} over {@link Arena#ofConfined()} or {@link Arena#ofShared()}, one arena per
 * thread per batch.
 *
 * <p>Thread-safe in the sense that each thread uses its own arena; {@link #free} may be called
 * from any thread and only drops the handle. A thread's memory is reclaimed at its
 * {@link #endBatch()}; {@link #close()} closes the arenas still open that the calling thread may
 * close (all shared arenas, and its own confined one).
 */
public final class JdkArenaAllocator implements Allocator {

    private static final long MALLOC_ALIGNMENT = 16;

    /** Which JDK arena backs each batch. */
    public enum Kind {
        CONFINED("jdk-confined"), SHARED("jdk-shared");

        private final String allocatorName;

        Kind(String allocatorName) {
            this.allocatorName = allocatorName;
        }

        Arena open() {
            return this == CONFINED ? Arena.ofConfined() : Arena.ofShared();
        }
    }

    private final Kind kind;
    private final HandleTable<MemorySegment> segments = new HandleTable<>();
    private final ThreadLocal<Arena> currentArena = new ThreadLocal<>();
    private final Set<Arena> openArenas = ConcurrentHashMap.newKeySet();

    public JdkArenaAllocator(Kind kind) {
        this.kind = kind;
    }

    @Override
    public String name() {
        return kind.allocatorName;
    }

    @Override
    public long malloc(long size) {
        return mallocAligned(size, MALLOC_ALIGNMENT);
    }

    @Override
    public long calloc(long size) {
        return mallocAligned(size, MALLOC_ALIGNMENT);
    }

    @Override
    public long mallocAligned(long size, long alignment) {
        MemorySegment segment = arena().allocate(size, alignment);
        return segments.add(segment, segment.address());
    }

    @Override
    public long realloc(long handle, long size) {
        MemorySegment old = segments.object(handle);
        MemorySegment moved = arena().allocate(size, MALLOC_ALIGNMENT);
        MemorySegment.copy(old, 0, moved, 0, Math.min(size, old.byteSize()));
        segments.replace(handle, moved, moved.address());
        return handle;
    }

    @Override
    public void free(long handle) {
        segments.remove(handle);
    }

    @Override
    public long address(long handle) {
        return segments.address(handle);
    }

    @Override
    public boolean individualFree() {
        return false;
    }

    @Override
    public void endBatch() {
        Arena arena = currentArena.get();
        if (arena != null) {
            currentArena.remove();
            openArenas.remove(arena);
            arena.close();
        }
    }

    @Override
    public void close() {
        endBatch();
        if (kind == Kind.SHARED) {
            for (Arena arena : openArenas) {
                openArenas.remove(arena);
                arena.close();
            }
        }
    }

    private Arena arena() {
        Arena arena = currentArena.get();
        if (arena == null) {
            arena = kind.open();
            currentArena.set(arena);
            openArenas.add(arena);
        }
        return arena;
    }
}
