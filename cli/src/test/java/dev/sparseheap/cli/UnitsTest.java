package dev.sparseheap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void bytesUseTheLargestUnitThatKeepsTheValueAtLeastOne() {
        assertEquals("0 B", Units.bytes(0));
        assertEquals("1023 B", Units.bytes(1023));
        assertEquals("1 KiB", Units.bytes(1024));
        assertEquals("1.5 MiB", Units.bytes(3L << 19));
        assertEquals("64 MiB", Units.bytes(64L << 20));
        assertEquals("600 GiB", Units.bytes(600L << 30));
        assertEquals("-4 KiB", Units.bytes(-4096));
    }

    @Test
    void addressesArePaddedToFortyEightBits() {
        assertEquals("0x00c000000000", Units.address(0x00c0L << 32));
    }
}
