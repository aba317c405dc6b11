package dev.kestrel.api.errors;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A comma-separated list filter of a query ({@code severity=HIGH,CRITICAL}): each value must be one allowed. */
public final class ListFilter {
    private ListFilter() {}

    /**
     * The values, upper-cased; empty for none given. A value not among {@code allowed} is a 400 naming the parameter,
     * the value and, in the order given, the values allowed: anything else is refused, never ignored.
     */
    public static List<String> values(String list, String name, List<String> allowed) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (String raw : list.split(",")) {
            String value = raw.trim().toUpperCase(Locale.ROOT);
            if (!allowed.contains(value)) {
                throw ApiException.badRequest(name + " '" + raw.trim() + "' is not one of " + allowed);
            }
            values.add(value);
        }
        return values;
    }

    /** A yes-or-no filter: {@code true} or {@code false}, any case; null when not given; anything else is a 400. */
    public static Boolean flag(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ApiException.badRequest(name + " '" + value.trim() + "' is not true or false");
        };
    }
}
