package dev.kestrel.api.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * How many failed sign-ins lock an account, and an address, for how long: a failure costs an attacker a permit, and
 * with none left every attempt is refused, the right password's too, until the window has passed.
 */
@ConfigurationProperties("kestrel.login")
public record LoginSettings(int accountFailures, int addressFailures, Duration window) {
}
