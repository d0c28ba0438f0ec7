package dev.sparseheap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    record Point(String name, long x, double ratio) {
    }

    enum Outcome { OK, OUT_OF_MEMORY }

    @Test
    void writesScalarsAndEscapesStrings() {
        assertEquals("null", Json.write(null));
        assertEquals("true", Json.write(true));
        assertEquals("42", Json.write(42L));
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\"", Json.write("a\"b\\c\n\u0001"));
        assertEquals("null", Json.write(Double.NaN));
    }

    @Test
    void writesEnumsAsLowerCaseWithDashes() {
        assertEquals("\"out-of-memory\"", Json.write(Outcome.OUT_OF_MEMORY));
    }

    @Test
    void writesNestedMapsListsAndRecordsInOrder() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("points", List.of(new Point("p", 3, 0.5)));
        doc.put("empty", List.of());
        assertEquals("{\"points\":[{\"name\":\"p\",\"x\":3,\"ratio\":0.5}],\"empty\":[]}", Json.write(doc));
    }

    @Test
    void rejectsValuesWithNoJsonForm() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }
}
