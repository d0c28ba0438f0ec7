package dev.sparseheap.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A table of four columns (int, bigint, varchar, list of int) whose every value follows from its
 * row number, built row by row through Arrow's growing vectors and checked value by value.
 */
final class SampleTable {

    private SampleTable() {
    }

    /** A root of {@code rows} rows allocated from {@code allocator}; the caller closes it. */
    static VectorSchemaRoot build(BufferAllocator allocator, int rows) {
        IntVector ids = new IntVector("id", allocator);
        BigIntVector values = new BigIntVector("value", allocator);
        VarCharVector names = new VarCharVector("name", allocator);
        ListVector tags = ListVector.empty("tags", allocator);
        ids.allocateNew(1024);
        values.allocateNew(1024);
        names.allocateNew(1024);
        tags.allocateNew();
        UnionListWriter tagWriter = tags.getWriter();
        for (int row = 0; row < rows; row++) {
            ids.setSafe(row, row);
            if (row % 10 == 9) {
                values.setNull(row);
            } else {
                values.setSafe(row, value(row));
            }
            names.setSafe(row, name(row));
            tagWriter.setPosition(row);
            tagWriter.startList();
            for (int tag = 0; tag < row % 4; tag++) {
                tagWriter.writeInt(row + tag);
            }
            tagWriter.endList();
        }
        ids.setValueCount(rows);
        values.setValueCount(rows);
        names.setValueCount(rows);
        tagWriter.setValueCount(rows);
        VectorSchemaRoot root = VectorSchemaRoot.of(ids, values, names, tags);
        root.setRowCount(rows);
        return root;
    }

    /** Checks every value of a root built by {@link #build} with {@code rows} rows. */
    static void check(VectorSchemaRoot root, int rows) {
        assertEquals(rows, root.getRowCount());
        IntVector ids = (IntVector) root.getVector("id");
        BigIntVector values = (BigIntVector) root.getVector("value");
        VarCharVector names = (VarCharVector) root.getVector("name");
        ListVector tags = (ListVector) root.getVector("tags");
        IntVector tagValues = (IntVector) tags.getDataVector();
        for (int row = 0; row < rows; row++) {
            assertEquals(row, ids.get(row));
            if (row % 10 == 9) {
                assertTrue(values.isNull(row), "row " + row);
            } else {
                assertEquals(value(row), values.get(row), "row " + row);
            }
            byte[] name = names.get(row);
            if (!Arrays.equals(name(row), name)) {
                assertArrayEquals(name(row), name, "row " + row);
            }
            int start = tags.getOffsetBuffer().getInt((long) row * ListVector.OFFSET_WIDTH);
            int end = tags.getOffsetBuffer().getInt((long) (row + 1) * ListVector.OFFSET_WIDTH);
            assertEquals(row % 4, end - start, "row " + row);
            for (int tag = 0; tag < row % 4; tag++) {
                assertEquals(row + tag, tagValues.get(start + tag), "row " + row);
            }
        }
    }

    private static long value(int row) {
        return row * 0x9E3779B97F4A7C15L;
    }

    private static byte[] name(int row) {
        return ("n" + Integer.toString(row, 36)).getBytes(StandardCharsets.UTF_8);
    }
}
