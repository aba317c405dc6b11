package dev.kestrel.api.borrowers;

/**
 * Masks personal data for roles that may not see it in full: enough stays visible to tell two records apart and to
 * match a document in hand (the 8-character registration prefix of a credit code, the last 4 digits of a number).
 */
public final class Masking {
    private Masking() {}

    /** Unified social credit code: {@code 91310000****1234}. */
    public static String creditCode(String code) {
        return keep(code, 8, 4);
    }

    /** Resident ID number: {@code 110101****1234}. */
    public static String idNumber(String id) {
        return keep(id, 6, 4);
    }

    /** Mobile number: {@code 138****5678}. */
    public static String phone(String phone) {
        return keep(phone, 3, 4);
    }

    /** A person's name: the first character, the rest starred ({@code 张**}). */
    public static String personName(String name) {
        if (name == null || name.isEmpty()) {
            return name;
        }
        int first = name.offsetByCodePoints(0, 1);
        return name.substring(0, first) + "*".repeat(Math.max(1, name.codePointCount(first, name.length())));
    }

    private static String keep(String value, int head, int tail) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        if (trimmed.length() <= head + tail) {
            return "****"; // too short to show any part safely
        }
        // Always four stars, whatever the hidden length, so the mask does not tell the length either.
        return trimmed.substring(0, head) + "****" + trimmed.substring(trimmed.length() - tail);
    }
}
