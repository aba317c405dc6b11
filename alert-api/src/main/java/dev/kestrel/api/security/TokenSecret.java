package dev.kestrel.api.security;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Refuses to start with a token-signing secret anyone could know or guess: one shorter than 256 bits, or a placeholder
 * Kestrel's own files have shipped. Whoever holds the secret can sign a token for any user and role.
 */
@Context
final class TokenSecret {
    static final String PROPERTY = "micronaut.security.token.jwt.signatures.secret.generator.secret";
    /** HS256 signs with a 256-bit key; a shorter secret is easier to guess than the signature is to forge. */
    static final int MIN_BYTES = 32;
    /** Words of the placeholders Kestrel's manifests, compose file and local run carried, and the usual ones. */
    private static final List<String> PLACEHOLDERS = List.of("replace-me", "replace_me", "replaceme", "change-me", "changeme",
            "change_me", "not-for-production", "demo-secret", "example", "your-secret", "placeholder");
    private static final String HOW = "generate one, e.g. openssl rand -base64 48, and give it as KESTREL_JWT_SECRET "
            + "(docs/operations.md, \"Secrets\")";

    TokenSecret(@Value("${" + PROPERTY + ":}") String secret) {
        String problem = problem(secret);
        if (problem != null) {
            throw new IllegalStateException("the alert API does not start: " + problem + "; " + HOW);
        }
    }

    /** Why the secret may not sign tokens, or null when it may. */
    static String problem(String secret) {
        if (secret == null || secret.isBlank()) {
            return "no token-signing secret is set (" + PROPERTY + ")";
        }
        int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < MIN_BYTES) {
            return "the token-signing secret has " + bytes + " bytes; it needs at least " + MIN_BYTES + " (256 bits)";
        }
        String lower = secret.toLowerCase(Locale.ROOT);
        for (String word : PLACEHOLDERS) {
            if (lower.contains(word)) {
                return "the token-signing secret is a placeholder (it contains '" + word + "'), which anyone who read "
                        + "the manifests knows";
            }
        }
        if (secret.chars().distinct().count() < 8) {
            return "the token-signing secret repeats a few characters; it must be random";
        }
        return null;
    }
}
