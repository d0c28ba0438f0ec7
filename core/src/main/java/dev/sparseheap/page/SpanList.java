/*
 * An intrusive, doubly linked list of spans.
 *
 * The links live in the span itself (Span.listPrevious / listNext), so adding and removing
 * allocates nothing and removal of a known member is O(1). A span is in at most one SpanList at
 * a time; which one is its holder's business (the object layer keeps, for example, a thread
 * cache's spans with free slots of one class, and the registry of live large objects, in
 * lists of this kind). Membership is not recorded in the span: callers remove a span only from
 * the list they put it in.
 */
package dev.sparseheap.page;

import java.util.function.Consumer;

/**
 * A list of spans linked through the spans themselves.
 *
 * <p>Thread safety: none. Every list is guarded by its holder (a lock, or a single owning
 * thread), and so are the links of the spans in it.
 *
 * @param <S> the kind of span held
 */
public final class SpanList<S extends Span> {

    private Span head;
    private int size;

    /** Puts {@code span}, which is in no list, first. */
    public void addFirst(S span) {
        span.listPrevious = null;
        span.listNext = head;
        if (head != null) {
            head.listPrevious = span;
        }
        head = span;
        size++;
    }

    /** Removes {@code span}, which is in this list. */
    public void remove(S span) {
        Span previous = span.listPrevious;
        Span next = span.listNext;
        if (previous != null) {
            previous.listNext = next;
        } else {
            head = next;
        }
        if (next != null) {
            next.listPrevious = previous;
        }
        span.listPrevious = null;
        span.listNext = null;
        size--;
    }

    /** Removes and returns the first span, or null when the list is empty. */
    @SuppressWarnings("unchecked") // only spans of type S are ever added
    public S pollFirst() {
        S first = (S) head;
        if (first != null) {
            remove(first);
        }
        return first;
    }

    /** Calls {@code visitor} with every span, first to last; the visitor must not change the list. */
    @SuppressWarnings("unchecked") // only spans of type S are ever added
    public void forEach(Consumer<? super S> visitor) {
        for (Span span = head; span != null; span = span.listNext) {
            visitor.accept((S) span);
        }
    }

    /** Number of spans in the list. */
    public int size() {
        return size;
    }

    /** Whether the list holds no span. */
    public boolean isEmpty() {
        return head == null;
    }
}
