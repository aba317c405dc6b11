package dev.kestrel.api.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kestrel.api.config.LoginSettings;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Counts failed sign-ins per account and per client address with resilience4j rate limiters: each failure takes a
 * permit, and an account or address with none left is locked until its window refreshes. The limiters live in a
 * bounded cache, so a flood of made-up usernames cannot grow memory without end.
 */
@Singleton
final class LoginThrottle {
    private final RateLimiterConfig perAccount;
    private final RateLimiterConfig perAddress;
    private final Cache<String, RateLimiter> accounts;
    private final Cache<String, RateLimiter> addresses;

    LoginThrottle(LoginSettings settings) {
        this.perAccount = config(settings.accountFailures(), settings.window());
        this.perAddress = config(settings.addressFailures(), settings.window());
        this.accounts = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(settings.window().multipliedBy(2)).build();
        this.addresses = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(settings.window().multipliedBy(2)).build();
    }

    private static RateLimiterConfig config(int failures, Duration window) {
        return RateLimiterConfig.custom().limitForPeriod(failures).limitRefreshPeriod(window).timeoutDuration(Duration.ZERO).build();
    }

    /** How long the account or the address stays locked; empty when neither is. */
    Optional<Duration> lockedFor(String username, String address) {
        Duration account = wait(accounts.getIfPresent(key(username)));
        Duration from = wait(addresses.getIfPresent(address));
        Duration longest = account.compareTo(from) >= 0 ? account : from;
        return longest.isZero() ? Optional.empty() : Optional.of(longest);
    }

    /** A failed sign-in: one permit less for the account and for the address. */
    void failed(String username, String address) {
        accounts.get(key(username), name -> RateLimiter.of("login-account", perAccount)).acquirePermission();
        addresses.get(address, name -> RateLimiter.of("login-address", perAddress)).acquirePermission();
    }

    private static Duration wait(RateLimiter limiter) {
        if (limiter == null || limiter.getMetrics().getAvailablePermissions() > 0) {
            return Duration.ZERO;
        }
        long nanos = limiter.getMetrics() instanceof io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter.AtomicRateLimiterMetrics m
                ? m.getNanosToWait() : 0;
        return Duration.ofNanos(Math.max(1_000_000_000L, nanos)); // at least a second: Retry-After counts whole seconds
    }

    private static String key(String username) {
        return username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
    }
}
