/*
 * The arena index: arena frame number -> HeapArena, for every frame of the address space.
 *
 * A flat array would need one reference per frame up front (4M references for a 48-bit space
 * of 64 MiB arenas), so the index has two levels, as the Go runtime adopted after seed 004: an
 * L1 array covering the whole space, whose entries are L2 blocks created the first time an
 * arena is published in their part of the space. The frame bits are split evenly between the
 * levels, so neither level is large for any arena size.
 *
 * Lookup is the hot path of every free: a bounds check, two shifts, and two acquire loads, no
 * lock. Publication (under the heap lock) stores the L2 block and then the entry with release
 * semantics, so a reader that finds an arena sees it fully constructed. Entries are never
 * cleared while the heap lives: an address that once belonged to the heap keeps its metadata.
 */
package dev.sparseheap.arena;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Two-level map from arena frames to their {@link HeapArena}, of the type the set's
 * {@link ArenaFactory} creates.
 *
 * <p>Thread safety: {@link #lookup} is lock-free and may run on any thread at any time;
 * {@link #publish} and the listing and accounting methods must be called under the owner's lock.
 */
final class ArenaIndex<A extends HeapArena> {

    private static final VarHandle BLOCKS = MethodHandles.arrayElementVarHandle(HeapArena[][].class);
    private static final VarHandle ENTRIES = MethodHandles.arrayElementVarHandle(HeapArena[].class);

    private final ArenaFactory<A> factory;
    private final long arenaBytes;
    private final int addressBits;
    private final int arenaShift;
    private final int blockShift;
    private final long entryMask;
    private final HeapArena[][] blocks;
    /** Every published arena in publication order, for listings. */
    private final List<A> published = new ArrayList<>();
    private int blockCount;

    ArenaIndex(int addressBits, long arenaBytes, ArenaFactory<A> factory) {
        this.factory = factory;
        this.arenaBytes = arenaBytes;
        this.addressBits = addressBits;
        this.arenaShift = Long.numberOfTrailingZeros(arenaBytes);
        int frameBits = addressBits - arenaShift;
        int l1Bits = frameBits / 2;
        this.blockShift = frameBits - l1Bits;
        this.entryMask = (1L << blockShift) - 1;
        this.blocks = new HeapArena[1 << l1Bits][];
    }

    /** The arena of the frame holding {@code address}, or null when none was published. */
    @SuppressWarnings("unchecked") // only arenas of the factory's type A are ever published
    A lookup(long address) {
        if ((address >>> addressBits) != 0) {
            return null;
        }
        long frame = address >>> arenaShift;
        HeapArena[] block = (HeapArena[]) BLOCKS.getAcquire(blocks, (int) (frame >>> blockShift));
        return block == null ? null : (A) ENTRIES.getAcquire(block, (int) (frame & entryMask));
    }

    /**
     * Creates the arena of the frame at {@code frameBase} and publishes it.
     *
     * @throws IllegalStateException if the frame already has an arena (an index that said
     *                               otherwise would hand the same pages out twice)
     */
    void publish(long frameBase) {
        long frame = frameBase >>> arenaShift;
        int blockIndex = (int) (frame >>> blockShift);
        HeapArena[] block = (HeapArena[]) BLOCKS.getAcquire(blocks, blockIndex);
        if (block == null) {
            block = new HeapArena[(int) entryMask + 1];
            BLOCKS.setRelease(blocks, blockIndex, block);
            blockCount++;
        }
        int entry = (int) (frame & entryMask);
        if (ENTRIES.getAcquire(block, entry) != null) {
            throw new IllegalStateException("arena already initialized at 0x" + Long.toHexString(frameBase));
        }
        A arena = factory.create(frameBase, arenaBytes);
        ENTRIES.setRelease(block, entry, arena);
        published.add(arena);
    }

    /** Number of published arenas. */
    int size() {
        return published.size();
    }

    /** The published arenas sorted by base. */
    List<A> sorted() {
        List<A> arenas = new ArrayList<>(published);
        arenas.sort(Comparator.comparingLong(HeapArena::base));
        return List.copyOf(arenas);
    }

    /** Java-heap bytes of one arena's metadata, as the factory states it. */
    long arenaFootprint() {
        return factory.footprint(arenaBytes);
    }

    /**
     * Java-heap bytes of the index itself: the L1 array and the L2 blocks created so far (the
     * arenas it points to are accounted by their owner, see ArenaSet.metadataBytes).
     */
    long tableBytes() {
        return Footprint.referenceArray(blocks.length) + blockCount * Footprint.referenceArray(entryMask + 1);
    }
}
