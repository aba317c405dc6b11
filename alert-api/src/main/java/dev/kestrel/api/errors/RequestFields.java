package dev.kestrel.api.errors;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads a request body's text fields, each a 400 naming the field when it does not read: dates and choices come as
 * text so that a wrong one is refused with its field, not as an unreadable body.
 */
public final class RequestFields {
    private RequestFields() {}

    /** An ISO date (2026-03-01), or null when blank. */
    public static LocalDate date(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field + ": '" + text + "' is not a date (write 2026-03-01)");
        }
    }

    /** One of an enum's constants, in any case. */
    public static <E extends Enum<E>> E oneOf(Class<E> type, String text, String field) {
        try {
            return Enum.valueOf(type, text == null ? "" : text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field + ": '" + text + "' is not one of "
                    + String.join(", ", Arrays.stream(type.getEnumConstants()).map(Enum::name).toList()));
        }
    }

    /** Optional free text, stripped; null when blank; a 400 when longer than {@code max} characters. */
    public static String text(String text, String field, int max) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String stripped = text.strip();
        if (stripped.length() > max) {
            throw ApiException.badRequest(field + ": at most " + max + " characters; got " + stripped.length());
        }
        return stripped;
    }

    /** An optional officer filter: a desk user's name, 1 to 100 characters, when given. */
    public static void officer(String officer) {
        if (officer != null && (officer.isBlank() || officer.length() > 100)) {
            throw ApiException.badRequest("officer: a desk user's name, 1 to 100 characters");
        }
    }
}
