/*
 * Address maps for people: a heap's ranges, unused reservations, hints, the foreign mappings
 * around it and the gaps between, as entries that a text and an SVG renderer draw alike.
 */

/**
 * Address maps: {@link dev.sparseheap.arena.map.AddressMap} builds sorted
 * {@link dev.sparseheap.arena.map.MapEntry} lists from an ArenaSet;
 * {@link dev.sparseheap.arena.map.AddressMapText} and {@link dev.sparseheap.arena.map.AddressMapSvg}
 * render them; {@link dev.sparseheap.arena.map.ByteSize} formats sizes.
 */
package dev.sparseheap.arena.map;
