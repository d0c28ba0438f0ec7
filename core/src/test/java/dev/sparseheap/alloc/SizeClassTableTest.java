package dev.sparseheap.alloc;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SizeClassTableTest {

    /** The module runs its tests from core/, the document lives at the repository root. */
    private static final Path DOCUMENT = Path.of("..", "docs", "SIZE_CLASSES.md");

    @Test
    void documentMatchesTheCode() throws IOException {
        if (Boolean.getBoolean("sparseheap.writeDocs")) {
            SizeClassTable.main(new String[] {DOCUMENT.toString()});
        }
        assertEquals(SizeClassTable.markdown(), Files.readString(DOCUMENT),
                "docs/SIZE_CLASSES.md is stale: regenerate it with -Dsparseheap.writeDocs=true");
    }
}
