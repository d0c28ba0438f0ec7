/*
 * The torture run's own record of a live object, kept apart from the heap's: the checks compare
 * what the heap says and what memory holds against it, so the record must never come from the
 * heap under test.
 */
package dev.sparseheap.bench.torture;

/**
 * A live object the torture run holds, as it believes it to be: where it is, the bytes it asked
 * for, and the id its stamp is derived from. Immutable; a realloc makes a new one with the same
 * id. Whoever holds a Tracked owns the object: it is in exactly one worker's hands or inbox.
 *
 * @param address the object's base address
 * @param size    the bytes asked for
 * @param id      the identity its stamp is derived from
 */
record Tracked(long address, long size, long id) {
}
