package dev.kestrel.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API refuses to start with a token-signing secret anyone could know or guess, and says why. */
class TokenSecretTest {
    @Test
    void theSecretsKestrelsOwnFilesShippedAreRefused() {
        assertThat(TokenSecret.problem("replace-me-with-at-least-32-random-bytes")).contains("placeholder", "replace-me");
        assertThat(TokenSecret.problem("compose-demo-secret-not-for-production-0123456789")).contains("placeholder");
        assertThat(TokenSecret.problem("local-demo-secret-not-for-production-0123456789")).contains("placeholder");
    }

    @Test
    void aSecretUnder256BitsOrOfAFewRepeatedCharactersIsRefused() {
        assertThat(TokenSecret.problem("abc")).isEqualTo("the token-signing secret has 3 bytes; it needs at least 32 (256 bits)");
        assertThat(TokenSecret.problem("x".repeat(31) + "y")).contains("repeats a few characters");
        assertThat(TokenSecret.problem("")).contains("no token-signing secret is set");
        assertThat(TokenSecret.problem("kT9v2QxR7mWpL4sN8bZc1YhF6jD3gA0eUoIiEr5tVw")).isNull();
    }

    @Test
    void theApiDoesNotStartOnAWeakSecret() {
        assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, Map.of(
                TokenSecret.PROPERTY, "abc", "kestrel.kafka.enabled", false, "flyway.datasources.default.enabled", false,
                "datasources.default.url", "jdbc:postgresql://127.0.0.1:5432/postgres", "micronaut.server.port", -1)))
                .hasStackTraceContaining("the alert API does not start: the token-signing secret has 3 bytes")
                .hasStackTraceContaining("openssl rand -base64 48");
    }
}
