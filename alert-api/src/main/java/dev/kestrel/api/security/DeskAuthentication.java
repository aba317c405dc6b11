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

/** Checks a login against the desk's users; runs on the blocking executor, as it reads the database. */
@Singleton
final class DeskAuthentication<B> implements HttpRequestExecutorAuthenticationProvider<B> {
    private final UserRepository users;
    private final DeskSessions sessions;

    DeskAuthentication(UserRepository users, DeskSessions sessions) {
        this.users = users;
        this.sessions = sessions;
    }

    @Override
    public @NonNull AuthenticationResponse authenticate(@Nullable HttpRequest<B> request,
                                                        @NonNull AuthenticationRequest<String, String> login) {
        return users.authenticate(login.getIdentity(), login.getSecret())
                // The session id travels in the token, so that the session can end before the token expires.
                .map(user -> AuthenticationResponse.success(user.username(), user.roles(),
                        Map.of("name", user.displayName(), DeskSessions.CLAIM, sessions.start(user.username()))))
                .orElseGet(() -> AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH));
    }
}
