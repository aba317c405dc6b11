package dev.kestrel.api.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a desk password must be, after NIST SP 800-63B section 5.1.1.2: long enough (12 characters), and none an
 * attacker tries first: not a common password or a common word with digits and signs around it (the list in
 * {@code common-passwords.txt}), not the username or the product's name, not one character repeated or a run of
 * keys. No rules of character classes, which make passwords harder to remember and no harder to guess.
 */
final class PasswordPolicy {
    static final int MIN_LENGTH = 12;
    private static final Set<String> COMMON = load();

    private PasswordPolicy() {}

    /** Why the password may not be used, or null when it may. */
    static String problem(String password, String username) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "a password needs at least " + MIN_LENGTH + " characters";
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (COMMON.contains(lower) || COMMON.contains(core(lower))) {
            return "the password is a common one, or a common word with digits or signs added";
        }
        if (username != null && username.length() >= 3 && lower.contains(username.toLowerCase(Locale.ROOT))) {
            return "the password holds the username";
        }
        if (lower.contains("kestrel")) {
            return "the password holds the product's name";
        }
        if (lower.chars().distinct().count() < 5) {
            return "the password repeats too few characters";
        }
        if (sequential(lower)) {
            return "the password is a run of keys or digits";
        }
        return null;
    }

    /**
     * The word under the dressing: digits and signs around it taken off, common substitutions undone, and what is
     * left of digits and signs dropped. "P@ssw0rd2026!" is "password".
     */
    static String core(String lower) {
        String word = lower.replaceAll("^[^\\p{L}]+|[^\\p{L}]+$", "");
        StringBuilder undone = new StringBuilder();
        for (char c : word.toCharArray()) {
            undone.append(switch (c) {
                case '@', '4' -> 'a';
                case '0' -> 'o';
                case '1', '!' -> 'i';
                case '3' -> 'e';
                case '5', '$' -> 's';
                case '7' -> 't';
                default -> c;
            });
        }
        return undone.toString().replaceAll("[^\\p{L}]", "");
    }

    /** Every character one after the other (abcdefghijkl, 123456789012, qwertyuiop...). */
    private static boolean sequential(String text) {
        String[] runs = {"abcdefghijklmnopqrstuvwxyz", "01234567890123456789", "qwertyuiopasdfghjklzxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn"};
        for (String run : runs) {
            if (run.contains(text) || new StringBuilder(run).reverse().toString().contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> load() {
        Set<String> words = new HashSet<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                PasswordPolicy.class.getResourceAsStream("/security/common-passwords.txt"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    words.add(line.trim().toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(words);
    }
}
