package dev.sparseheap.cli;

import java.util.List;
import java.util.Map;

/**
 * A minimal JSON writer for the commands' {@code --json} output, so the command line carries no
 * JSON dependency.
 *
 * <p>Values are {@code null}, {@link Boolean}, {@link Number}, {@link CharSequence},
 * {@link Map} (keys written with {@code toString()}, in the map's iteration order — pass a
 * {@link java.util.LinkedHashMap} for a stable field order), {@link List}, arrays of objects, and
 * {@link Record}s (components in declaration order). Non-finite doubles are written as
 * {@code null}, since JSON has no representation for them.
 *
 * <p>Stateless and thread-safe.
 */
public final class Json {

    private Json() {
    }

    /** The JSON text of {@code value}. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case Boolean b -> out.append(b);
            case Double d -> appendDouble(out, d);
            case Float f -> appendDouble(out, f);
            case Number n -> out.append(n);
            case CharSequence s -> appendString(out, s);
            case Enum<?> e -> appendString(out, e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            case Map<?, ?> map -> appendMap(out, map);
            case List<?> list -> appendList(out, list);
            case Object[] array -> appendList(out, List.of(array));
            case Record record -> appendRecord(out, record);
            default -> throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
        }
    }

    private static void appendDouble(StringBuilder out, double d) {
        if (Double.isFinite(d)) {
            out.append(d);
        } else {
            out.append("null");
        }
    }

    private static void appendMap(StringBuilder out, Map<?, ?> map) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            appendString(out, String.valueOf(entry.getKey()));
            out.append(':');
            append(out, entry.getValue());
        }
        out.append('}');
    }

    private static void appendList(StringBuilder out, List<?> list) {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            append(out, list.get(i));
        }
        out.append(']');
    }

    private static void appendRecord(StringBuilder out, Record record) {
        var fields = new java.util.LinkedHashMap<String, Object>();
        for (var component : record.getClass().getRecordComponents()) {
            try {
                fields.put(component.getName(), component.getAccessor().invoke(record));
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("cannot read record component " + component.getName(), e);
            }
        }
        appendMap(out, fields);
    }

    private static void appendString(StringBuilder out, CharSequence s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
