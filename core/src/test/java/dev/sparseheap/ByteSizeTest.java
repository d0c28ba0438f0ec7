package dev.sparseheap;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Byte counts as people read them. */
class ByteSizeTest {

    @Test
    void exactMultiplesKeepTheirUnitWithoutDecimals() {
        assertEquals("0 B", ByteSize.format(0));
        assertEquals("100 B", ByteSize.format(100));
        assertEquals("8 KiB", ByteSize.format(8192));
        assertEquals("64 MiB", ByteSize.format(64L << 20));
        assertEquals("640 GiB", ByteSize.format(640L << 30));
        assertEquals("1 TiB", ByteSize.format(1L << 40));
    }

    @Test
    void otherValuesGetOneDecimalInTheLargestUnit() {
        assertEquals("1.5 GiB", ByteSize.format(3L << 29));
        assertEquals("512.0 GiB", ByteSize.format((512L << 30) + 8192));
        assertEquals("1.0 TiB", ByteSize.format((1L << 40) - 4096), "never 1024.0 GiB");
        assertEquals("-2 KiB", ByteSize.format(-2048));
    }
}
