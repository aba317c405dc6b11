package dev.kestrel.api.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/**
 * A user created at start-up when the database does not have it yet (the demo users of the local run, or a first
 * administrator). Only the password hash is configured, never the password; {@code ./kestrel hash-password} makes one.
 */
@EachProperty(value = "kestrel.users")
public record SeedUser(@Parameter String username, String displayName, @Nullable String email, String passwordHash,
                       List<String> roles) {
}
