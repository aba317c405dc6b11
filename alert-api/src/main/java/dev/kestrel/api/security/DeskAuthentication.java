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
import java.util.Optional;

/**
 * HTTP basic authentication, for a metrics scraper alone: a user with the {@link Roles#METRICS} role, on
 * {@code /prometheus} alone. Anything else is refused before a password is hashed, so basic credentials on the API
 * cost nothing and reach nothing; people sign in through {@code POST /login} (LoginController). Attempts go through
 * the same throttle as sign-ins, so a scraper's password cannot be guessed faster, nor the API flooded with hashing.
 * Runs on the blocking executor, as it reads the database.
 */
@Singleton
final class DeskAuthentication<B> implements HttpRequestExecutorAuthenticationProvider<B> {
    static final String METRICS_PATH = "/prometheus";

    private final UserRepository users;
    private final LoginThrottle throttle;

    DeskAuthentication(UserRepository users, LoginThrottle throttle) {
        this.users = users;
        this.throttle = throttle;
    }

    @Override
    public @NonNull AuthenticationResponse authenticate(@Nullable HttpRequest<B> request,
                                                        @NonNull AuthenticationRequest<String, String> login) {
        if (request == null || !METRICS_PATH.equals(request.getPath())) {
            return AuthenticationResponse.failure(AuthenticationFailureReason.CUSTOM);
        }
        String address = LoginThrottle.addressOf(request);
        var found = new java.util.concurrent.atomic.AtomicReference<Optional<DeskUser>>(Optional.empty());
        LoginThrottle.Outcome outcome;
        try {
            outcome = throttle.attempt(login.getIdentity(), address, () -> {
                found.set(users.authenticate(login.getIdentity(), login.getSecret()).filter(user -> user.roles().contains(Roles.METRICS)));
                return found.get().isPresent();
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AuthenticationResponse.failure(AuthenticationFailureReason.CUSTOM);
        }
        if (!outcome.succeeded()) {
            return AuthenticationResponse.failure(outcome.locked() ? AuthenticationFailureReason.ACCOUNT_LOCKED
                    : AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
        }
        DeskUser user = found.get().get();
        return AuthenticationResponse.success(user.username(), user.roles(), Map.of("name", user.displayName()));
    }
}
