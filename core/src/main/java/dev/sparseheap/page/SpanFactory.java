/*
 * Span factories let the object layer choose the class of the span the page heap hands out
 * (small-object span, large-object span) while the page heap alone decides where it lies.
 * The page heap calls the factory under its lock, before it changes anything, so a factory
 * that throws leaves the heap as it was.
 */
package dev.sparseheap.page;

/**
 * Creates the span object for pages the page heap has chosen. The factory must pass its three
 * arguments unchanged to the {@link Span} constructor; the page heap checks the base and size.
 * It runs under the page-heap lock, so it must be quick and must not call back into the heap.
 *
 * @param <S> the span class made
 */
@FunctionalInterface
public interface SpanFactory<S extends Span> {

    /** Makes the span over {@code pages} heap pages at {@code base}. */
    S create(long base, long pages, boolean needsZero);
}
