/*
 * The one-line protocol between a measuring child process and its parent: a fixed prefix, then
 * space-separated name=value fields. The child prints the line last; the parent takes the last
 * line with the prefix from everything the child printed, so a library that logs to standard
 * output cannot break the exchange.
 */
package dev.sparseheap.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * Parsing of protocol lines. Stateless and thread-safe.
 *
 * @param prefix the line's first word
 * @param fields its fields by name
 * @param line   the whole line, for error messages
 */
public record ProtocolLine(String prefix, Map<String, String> fields, String line) {

    /**
     * The last line of {@code output} that starts with {@code prefix}.
     *
     * @throws IllegalArgumentException if there is none or a field is malformed
     */
    public static ProtocolLine last(String output, String prefix) {
        String line = output.lines().filter(l -> l.startsWith(prefix + " ")).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalArgumentException("no '" + prefix + "' line in the output:\n" + output));
        Map<String, String> fields = new HashMap<>();
        for (String pair : line.substring(prefix.length()).strip().split(" ")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("malformed field '" + pair + "' in: " + line);
            }
            fields.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return new ProtocolLine(prefix, Map.copyOf(fields), line);
    }

    /**
     * The field {@code name}.
     *
     * @throws IllegalArgumentException if it is missing
     */
    public String text(String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing field '" + name + "' in: " + line);
        }
        return value;
    }

    /**
     * The field {@code name} as a number.
     *
     * @throws IllegalArgumentException if it is missing or not a number
     */
    public long number(String name) {
        try {
            return Long.parseLong(text(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed number in field '" + name + "' of: " + line, e);
        }
    }
}
