/*
 * The bottom layer of sparseheap: page-aligned ranges of address space and their states.
 * Everything above reaches the operating system only through AddressSpace, so the same heap
 * code runs over the real process (LinuxAddressSpace) and over a model (SimulatedAddressSpace)
 * that can be 32-bit, Windows-like, terabytes large, limited or failing on demand.
 */

/**
 * Address spaces a heap can live in: {@link dev.sparseheap.os.AddressSpace} with its states
 * (none, {@link dev.sparseheap.os.RangeState reserved, ready, released}), the real
 * {@link dev.sparseheap.os.LinuxAddressSpace}, and the {@link dev.sparseheap.os.SimulatedAddressSpace}
 * model, built with its {@link dev.sparseheap.os.SimulatedAddressSpace.Builder}. Both list what
 * they know of as {@link dev.sparseheap.os.Mapping}s, each held by the heap or by someone else
 * ({@link dev.sparseheap.os.RangeOwner}). {@link dev.sparseheap.os.ProcMaps} reads what the
 * kernel shows of this process.
 *
 * <p>Give a space to {@link dev.sparseheap.SparseHeap.Builder#addressSpace}; a heap over a
 * simulated space runs every algorithm without touching memory, so 32-bit, Windows-like or
 * terabyte layouts can be tried on any machine.
 */
package dev.sparseheap.os;
