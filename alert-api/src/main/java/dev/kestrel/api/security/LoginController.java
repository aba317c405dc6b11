package dev.kestrel.api.security;

import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.store.Database;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.token.generator.AccessRefreshTokenGenerator;
import io.micronaut.security.token.render.AccessRefreshToken;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Signing in: the password checked against the desk's users, one attempt at a time per address and per account,
 * failures counted per account and per address (a locked account or address is refused, even with the right password,
 * until its window passes), each failure audited and every refusal counted in {@code kestrel.login.failures}, and on
 * success a session and a token for it.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Log in")
class LoginController {
    private final UserRepository users;
    private final DeskSessions sessions;
    private final LoginThrottle throttle;
    private final AccessRefreshTokenGenerator tokens;
    private final Database database;
    private final AuditLog audit;
    private final MeterRegistry metrics;
    private final Clock clock;

    LoginController(UserRepository users, DeskSessions sessions, LoginThrottle throttle, AccessRefreshTokenGenerator tokens,
                    Database database, AuditLog audit, MeterRegistry metrics, Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
        this.tokens = tokens;
        this.database = database;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Serdeable
    record Credentials(@NotBlank @Size(max = 100) @jakarta.validation.constraints.Pattern(regexp = "[^\\p{Cntrl}]+",
            message = "no control characters") String username, @NotBlank @Size(max = 200) String password) {
    }

    @Operation(summary = "Sign in: a bearer token for one desk shift, ended earlier by POST /logout or a change of the user")
    @Post("/login")
    @Secured(SecurityRule.IS_ANONYMOUS)
    AccessRefreshToken login(@Body @Valid Credentials credentials, HttpRequest<?> request) throws InterruptedException {
        String address = LoginThrottle.addressOf(request);
        var signedIn = new java.util.concurrent.atomic.AtomicReference<Optional<DeskUser>>(Optional.empty());
        var session = new java.util.concurrent.atomic.AtomicReference<String>();
        LoginThrottle.Outcome outcome = throttle.attempt(credentials.username(), address, () -> {
            // The password is checked on the row as read, holding no connection through the slow hash. Then the row is
            // read again and held while the session starts: a disabling or a change of roles or password either came
            // first and is seen here (the sign-in fails, or gets the new roles), or waits for this sign-in and then
            // ends its session too.
            // A disabled user fails after the same work as a wrong password.
            Optional<UserRepository.StoredUser> checked = users.checked(credentials.username(), credentials.password());
            if (checked.isEmpty()) {
                return false;
            }
            database.inTransaction(connection -> {
                Optional<UserRepository.StoredUser> now = users.stored(connection, credentials.username(), true);
                if (now.isPresent() && now.get().hash().equals(checked.get().hash()) && now.get().user().enabled()) {
                    signedIn.set(Optional.of(now.get().user()));
                    if (!onlyMetrics(now.get().user())) {
                        session.set(sessions.start(connection, now.get().user().username()));
                    }
                }
                return null;
            });
            return signedIn.get().isPresent();
        });
        if (outcome.locked()) {
            // Counted, not audited: the failures that locked it are, and an anonymous caller must not grow the log.
            metrics.counter("kestrel.login.failures", "reason", "locked").increment();
            throw ApiException.tooManyRequests("too many failed sign-ins for this user or address; try again in "
                    + Math.max(1, outcome.lockedFor().toSeconds()) + " s", outcome.lockedFor());
        }
        if (!outcome.succeeded()) {
            failed(credentials.username(), address);
            throw new ApiException(HttpStatus.UNAUTHORIZED, "wrong username or password");
        }
        DeskUser user = signedIn.get().get();
        if (session.get() == null) {
            throw new ApiException(HttpStatus.FORBIDDEN, "a metrics user reads /prometheus with HTTP basic authentication; "
                    + "it does not sign in");
        }
        Authentication authentication = Authentication.build(user.username(), user.roles(),
                Map.of("name", user.displayName(), DeskSessions.CLAIM, session.get()));
        return tokens.generate(authentication)
                .orElseThrow(() -> new IllegalStateException("no token generator configured"));
    }

    private static boolean onlyMetrics(DeskUser user) {
        return user.roles().stream().allMatch(Roles.METRICS::equals);
    }

    /** Audited and counted; the answer to the caller is the same whatever the reason, so it tells nothing more. */
    private void failed(String username, String address) {
        metrics.counter("kestrel.login.failures", "reason", "credentials").increment();
        String who = username.length() > 100 ? username.substring(0, 100) : username;
        database.inTransaction(connection -> {
            audit.record(connection, clock.instant(), who, "LOGIN_FAILED", "user", who, null,
                    Map.of("address", address, "reason", "wrong username or password"));
            return null;
        });
    }
}
