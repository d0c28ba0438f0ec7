/*
 * The bottom layer of sparseheap: page-aligned ranges of address space and their states.
 * Everything above reaches the operating system only through AddressSpace, so the same heap
 * code runs over the real process (LinuxAddressSpace) and over a model (SimulatedAddressSpace)
 * that can be 32-bit, Windows-like, terabytes large, limited or failing on demand.
 */

/**
 * OS memory: {@link dev.sparseheap.os.AddressSpace} with its states (none, reserved, ready,
 * released), the real {@link dev.sparseheap.os.LinuxAddressSpace}, the
 * {@link dev.sparseheap.os.SimulatedAddressSpace} model, and {@link dev.sparseheap.os.ProcMaps}
 * for reading what the kernel shows of this process.
 */
package dev.sparseheap.os;
