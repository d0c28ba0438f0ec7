/*
 * Columnar batches the way an Arrow program builds and scans them: per batch, four vectors (int,
 * bigint with nulls, varchar, list of int) grown row by row from a small first allocation, so
 * Arrow reallocates each buffer as it doubles, then read back in full and closed. The buffers
 * come from the peer's AllocationManager.Factory under one RootAllocator, which is what differs
 * between peers; Arrow's own accounting runs the same for all.
 *
 * Every batch is checked: the sums of its columns and of its string lengths must be what the
 * rows put in, so a buffer that lost or mixed contents fails the run.
 */
package dev.sparseheap.bench.ecosystem;

import dev.sparseheap.SparseHeap;
import dev.sparseheap.arrow.SparseHeapAllocationManager;
import org.apache.arrow.memory.AllocationManager;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.netty.NettyAllocationManager;
import org.apache.arrow.memory.unsafe.UnsafeAllocationManager;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.Types;
import org.apache.arrow.vector.types.pojo.FieldType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * Arrow vector building and reading on sparseheap, Arrow's Netty manager and its Unsafe manager.
 *
 * <p>Immutable and thread-safe; each prepared run is confined to one thread.
 */
public final class ArrowVectors implements EcosystemWorkload {

    private static final int ROWS_PER_BATCH = 100_000;
    private static final int BATCHES = 10;
    private static final int FIRST_CAPACITY = 64;
    private static final byte[][] WORDS = {"a".getBytes(StandardCharsets.UTF_8), "arrow".getBytes(StandardCharsets.UTF_8),
            "sparse heap".getBytes(StandardCharsets.UTF_8), "columnar batches of rows".getBytes(StandardCharsets.UTF_8)};

    @Override
    public String name() {
        return "arrow-vectors";
    }

    @Override
    public String description() {
        return "Arrow batches of int, bigint, varchar and list<int> vectors grown row by row, scanned and closed";
    }

    @Override
    public String parameters(double scale) {
        return EcosystemWorkload.scaled(BATCHES, scale) + " batches of " + ROWS_PER_BATCH
                + " rows, vectors starting at " + FIRST_CAPACITY + " values";
    }

    @Override
    public List<String> peers() {
        return List.of("sparseheap", "arrow-netty", "arrow-unsafe");
    }

    @Override
    public List<String> peerDescriptions() {
        return List.of("SparseHeapAllocationManager over a new SparseHeap",
                "Arrow NettyAllocationManager (Arrow's pooled Netty arenas)",
                "Arrow UnsafeAllocationManager (the C allocator through Unsafe)");
    }

    @Override
    public Run prepare(String peer) {
        return switch (peer) {
            case "sparseheap" -> {
                SparseHeap heap = SparseHeap.create();
                yield new VectorRun(root(() -> SparseHeapAllocationManager.factory(heap)), heap::close);
            }
            case "arrow-netty" -> new VectorRun(root(() -> NettyAllocationManager.FACTORY), () -> { });
            case "arrow-unsafe" -> new VectorRun(root(() -> UnsafeAllocationManager.FACTORY), () -> { });
            default -> throw new IllegalArgumentException("unknown peer '" + peer + "' of " + name() + "; known: " + peers());
        };
    }

    /**
     * A root allocator on the factory. The root's class is initialized before the factory is
     * read: Arrow resolves its default manager when that class initializes, and that must not
     * happen inside the initialization of one of the manager classes named above.
     */
    private static RootAllocator root(Supplier<AllocationManager.Factory> factory) {
        var config = RootAllocator.configBuilder();
        return new RootAllocator(config.allocationManagerFactory(factory.get()).build());
    }

    /** One root allocator and what owns its memory. Confined to the thread that runs it. */
    private static final class VectorRun implements Run {
        private final BufferAllocator root;
        private final Runnable releaseMemory;

        VectorRun(BufferAllocator root, Runnable releaseMemory) {
            this.root = root;
            this.releaseMemory = releaseMemory;
        }

        @Override
        public long round(double scale) {
            int batches = EcosystemWorkload.scaled(BATCHES, scale);
            for (int batch = 0; batch < batches; batch++) {
                buildAndScan(batch);
            }
            if (root.getAllocatedMemory() != 0) {
                throw new IllegalStateException("arrow-vectors: " + root.getAllocatedMemory() + " bytes still allocated after a round");
            }
            return (long) batches * ROWS_PER_BATCH;
        }

        private void buildAndScan(int batch) {
            try (var ints = new IntVector("int", root);
                 var longs = new BigIntVector("bigint", root);
                 var strings = new VarCharVector("varchar", root);
                 var lists = ListVector.empty("list", root)) {
                ints.allocateNew(FIRST_CAPACITY);
                longs.allocateNew(FIRST_CAPACITY);
                strings.allocateNew(FIRST_CAPACITY);
                lists.addOrGetVector(FieldType.nullable(Types.MinorType.INT.getType()));
                lists.setInitialCapacity(FIRST_CAPACITY);
                lists.allocateNew();
                IntVector elements = (IntVector) lists.getDataVector();
                long expected = 0;
                for (int row = 0; row < ROWS_PER_BATCH; row++) {
                    int value = batch * ROWS_PER_BATCH + row;
                    ints.setSafe(row, value);
                    if (row % 16 == 0) {
                        longs.setNull(row);
                    } else {
                        longs.setSafe(row, (long) value << 20);
                        expected += (long) value << 20;
                    }
                    byte[] word = WORDS[row & 3];
                    strings.setSafe(row, word);
                    int start = lists.startNewValue(row);
                    for (int k = 0; k < (row & 3); k++) {
                        elements.setSafe(start + k, value + k);
                    }
                    lists.endValue(row, row & 3);
                    expected += value + word.length + (row & 3) * (long) value + (row & 3) * ((row & 3) - 1) / 2;
                }
                ints.setValueCount(ROWS_PER_BATCH);
                longs.setValueCount(ROWS_PER_BATCH);
                strings.setValueCount(ROWS_PER_BATCH);
                lists.setValueCount(ROWS_PER_BATCH);
                long scanned = 0;
                for (int row = 0; row < ROWS_PER_BATCH; row++) {
                    scanned += ints.get(row) + strings.getValueLength(row);
                    if (!longs.isNull(row)) {
                        scanned += longs.get(row);
                    }
                    int end = lists.getElementEndIndex(row);
                    for (int k = lists.getElementStartIndex(row); k < end; k++) {
                        scanned += elements.get(k);
                    }
                }
                if (scanned != expected) {
                    throw new IllegalStateException("arrow-vectors: batch " + batch + " read back " + scanned
                            + " where its rows put in " + expected);
                }
            }
        }

        @Override
        public void close() {
            root.close();
            releaseMemory.run();
        }
    }
}
