package dev.kestrel.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    @Test
    void aHashMatchesItsPasswordOnlyAndIsSaltedAnew() {
        String hash = PasswordHasher.hash("correct horse battery");
        assertThat(hash).startsWith("pbkdf2-sha256$" + PasswordHasher.ITERATIONS + "$");
        assertThat(PasswordHasher.matches("correct horse battery", hash)).isTrue();
        assertThat(PasswordHasher.matches("correct horse battery!", hash)).isFalse();
        assertThat(PasswordHasher.hash("correct horse battery")).isNotEqualTo(hash);
    }

    @Test
    void aHashInAnotherFormatNeverMatches() {
        assertThat(PasswordHasher.matches("x", "plain-text")).isFalse();
        assertThat(PasswordHasher.matches("x", "bcrypt$10$abc$def")).isFalse();
        assertThat(PasswordHasher.matches("x", "pbkdf2-sha256$ten$abc$def")).isFalse();
    }
}
