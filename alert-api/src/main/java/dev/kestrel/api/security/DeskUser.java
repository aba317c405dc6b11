package dev.kestrel.api.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/** A desk user as the admin endpoints show it; the password hash never leaves the store. */
@Serdeable
public record DeskUser(String username, String displayName, @Nullable String email, List<String> roles, boolean enabled,
                       Instant createdAt, Instant updatedAt) {
}
