package dev.sparseheap.page;

/** The plainest span: page-layer fields only. */
final class TestSpan extends Span {

    TestSpan(long base, long pages, boolean needsZero) {
        super(base, pages, needsZero);
    }
}
