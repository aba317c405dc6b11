package dev.kestrel.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The passwords an attacker tries first are refused, with the reason; long random or passphrase ones pass. */
class PasswordPolicyTest {
    @Test
    void refusesCommonPasswordsAndCommonWordsDressedUpWithDigitsAndSigns() {
        assertThat(PasswordPolicy.problem("password1234", "ana")).contains("common");
        assertThat(PasswordPolicy.problem("P@ssw0rd2026!", "ana")).contains("common");
        assertThat(PasswordPolicy.core("p@ssw0rd2026!")).isEqualTo("password");
        assertThat(PasswordPolicy.problem("Password2026!!", "ana")).contains("common");
        assertThat(PasswordPolicy.problem("123456789012", "ana")).contains("common");
        assertThat(PasswordPolicy.problem("Shanghai#88888888", "ana")).contains("common");
    }

    @Test
    void refusesShortOnesTheUsernameTheProductsNameRepeatsAndRuns() {
        assertThat(PasswordPolicy.problem("short-one", "ana")).isEqualTo("a password needs at least 12 characters");
        assertThat(PasswordPolicy.problem("carol-at-the-desk", "carol")).isEqualTo("the password holds the username");
        assertThat(PasswordPolicy.problem("my-kestrel-desk-9", "ana")).isEqualTo("the password holds the product's name");
        assertThat(PasswordPolicy.problem("abababababab", "ana")).isEqualTo("the password repeats too few characters");
        assertThat(PasswordPolicy.problem("hgfedcbazyxw", "ana")).isNull();
        assertThat(PasswordPolicy.problem("mnbvcxzlkjhg", "ana")).isEqualTo("the password is a run of keys or digits");
    }

    @Test
    void acceptsLongRandomOnesAndPassphrases() {
        assertThat(PasswordPolicy.problem("correct horse battery staple", "ana")).isNull();
        assertThat(PasswordPolicy.problem("kT9v2QxR7mWp", "ana")).isNull();
    }
}
