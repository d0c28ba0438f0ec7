package dev.sparseheap;

import dev.sparseheap.os.SimulatedAddressSpace;

import java.lang.foreign.MemorySegment;

/** The address spaces the heap tests run over, and raw memory access for the real one. */
enum TestHeaps {
    REAL,
    SIMULATED_48_BIT,
    SIMULATED_32_BIT;

    static final MemorySegment MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    SparseHeap.Builder builder(ArenaLayout layout) {
        SparseHeap.Builder builder = SparseHeap.builder().layout(layout).backgroundScavenger(false);
        return switch (this) {
            case REAL -> builder;
            case SIMULATED_48_BIT -> builder.addressSpace(SimulatedAddressSpace.builder().addressBits(48).build());
            case SIMULATED_32_BIT -> builder.addressSpace(
                    SimulatedAddressSpace.builder().addressBits(32).physicalPageSize(4096).build());
        };
    }

    boolean touchesMemory() {
        return this == REAL;
    }
}
