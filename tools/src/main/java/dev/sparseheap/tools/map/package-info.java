/*
 * Address maps for people: a heap's ranges, unused reservations, hints, the foreign mappings
 * around it and the gaps between, as entries that a text and an SVG renderer draw alike.
 */

/**
 * Address maps: {@link dev.sparseheap.tools.map.AddressMap} builds sorted
 * {@link dev.sparseheap.tools.map.MapEntry} lists from a {@link dev.sparseheap.HeapLayout};
 * {@link dev.sparseheap.tools.map.ThisProcess} takes one of a heap in this process;
 * {@link dev.sparseheap.tools.map.AddressMapText} and {@link dev.sparseheap.tools.map.AddressMapSvg}
 * render them; {@link dev.sparseheap.ByteSize} formats sizes.
 */
package dev.sparseheap.tools.map;
