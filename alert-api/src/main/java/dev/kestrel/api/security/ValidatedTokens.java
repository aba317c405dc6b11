package dev.kestrel.api.security;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenValidator;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The bearer tokens this instance has validated, so that a desk user's next request within the shift is not parsed,
 * HMAC-checked and sent to the blocking pool again (about a fifth of a request's work in the event loop,
 * docs/benchmarks.md). A remembered token authenticates only until its {@code exp} and only while its session is open
 * ({@link DeskSessions}), the two things that change after a token is issued; its signature and claims cannot.
 * Asked first; a token it does not know it hands to the JWT validator and remembers if valid. Micronaut asks every
 * validator at once, so such a token is also checked by the JWT validator directly, whichever answers first.
 */
@Singleton
final class ValidatedTokens implements TokenValidator<HttpRequest<?>> {
    /** Beyond this many, the memory starts again empty: a few desks' shifts fit many times over. */
    static final int MAX_REMEMBERED = 10_000;

    private record Validated(Authentication authentication, Instant expires, Object session) {
    }

    private final ReactiveJsonWebTokenValidator<?, HttpRequest<?>> jwt;
    private final DeskSessions sessions;
    private final Clock clock;
    private final Map<String, Validated> remembered = new ConcurrentHashMap<>();

    ValidatedTokens(ReactiveJsonWebTokenValidator<?, HttpRequest<?>> jwt, DeskSessions sessions, Clock clock) {
        this.jwt = jwt;
        this.sessions = sessions;
        this.clock = clock;
    }

    @Override
    public Publisher<Authentication> validateToken(String token, HttpRequest<?> request) {
        Validated known = remembered.get(token);
        if (known != null) {
            if (clock.instant().isBefore(known.expires()) && sessions.active(known.session())) {
                return Mono.just(known.authentication());
            }
            remembered.remove(token);
            return Mono.empty();
        }
        return Mono.from(jwt.validateToken(token, request)).doOnNext(authentication -> remember(token, authentication));
    }

    private void remember(String token, Authentication authentication) {
        Instant expires = expiry(authentication.getAttributes().get("exp"));
        if (expires == null) {
            return; // a token without a known end is validated every time
        }
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.clear();
        }
        remembered.put(token, new Validated(authentication, expires, authentication.getAttributes().get(DeskSessions.CLAIM)));
    }

    /** The {@code exp} claim as the JWT library hands it over: a date, or seconds since the epoch. */
    static Instant expiry(Object exp) {
        if (exp instanceof Date date) {
            return date.toInstant();
        }
        if (exp instanceof Instant instant) {
            return instant;
        }
        if (exp instanceof Number seconds) {
            return Instant.ofEpochSecond(seconds.longValue());
        }
        return null;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
