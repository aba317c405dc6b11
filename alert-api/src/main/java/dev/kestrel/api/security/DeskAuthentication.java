package dev.kestrel.api.security;

import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestExecutorAuthenticationProvider;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * HTTP basic authentication, for a metrics scraper alone: a user with the {@link Roles#METRICS} role, on
 * {@code /prometheus} alone. Anything else is refused before a password is hashed, so basic credentials on the API
 * cost nothing and reach nothing; people sign in through {@code POST /login} (LoginController). Runs on the blocking
 * executor, as it reads the database.
 */
@Singleton
final class DeskAuthentication<B> implements HttpRequestExecutorAuthenticationProvider<B> {
    static final String METRICS_PATH = "/prometheus";

    private final UserRepository users;

    DeskAuthentication(UserRepository users) {
        this.users = users;
    }

    @Override
    public @NonNull AuthenticationResponse authenticate(@Nullable HttpRequest<B> request,
                                                        @NonNull AuthenticationRequest<String, String> login) {
        if (request == null || !METRICS_PATH.equals(request.getPath())) {
            return AuthenticationResponse.failure(AuthenticationFailureReason.CUSTOM);
        }
        return users.authenticate(login.getIdentity(), login.getSecret())
                .filter(user -> user.roles().contains(Roles.METRICS))
                .map(user -> AuthenticationResponse.success(user.username(), user.roles(), Map.of("name", user.displayName())))
                .orElseGet(() -> AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH));
    }
}
