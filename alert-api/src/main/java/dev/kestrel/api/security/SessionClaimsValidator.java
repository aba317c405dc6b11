package dev.kestrel.api.security;

import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;

/** A token authenticates only while its session is open (see {@link DeskSessions}). */
@Singleton
final class SessionClaimsValidator<T> implements GenericJwtClaimsValidator<T> {
    private final DeskSessions sessions;

    SessionClaimsValidator(DeskSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public boolean validate(@NonNull Claims claims, @Nullable T request) {
        return sessions.active(claims.get(DeskSessions.CLAIM));
    }
}
