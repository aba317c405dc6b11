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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts failed sign-ins per account and per client address with resilience4j rate limiters: each failure takes a
 * permit, and an account or address with none left is locked until its window refreshes. Attempts for one address,
 * and for one account, run one at a time ({@link #attempt}), so parallel requests cannot all pass the check before
 * the first failure is counted. The limiters and locks live in bounded caches, so a flood of made-up usernames cannot
 * grow memory without end.
 */
@Singleton
final class LoginThrottle {
    /** How long an attempt waits for the one before it on the same account or address before it is refused. */
    private static final Duration QUEUE = Duration.ofSeconds(5);

    private final RateLimiterConfig perAccount;
    private final RateLimiterConfig perAddress;
    private final Cache<String, RateLimiter> accounts;
    private final Cache<String, RateLimiter> addresses;
    private final Cache<String, ReentrantLock> locks;

    LoginThrottle(LoginSettings settings) {
        this.perAccount = config(settings.accountFailures(), settings.window());
        this.perAddress = config(settings.addressFailures(), settings.window());
        Duration idle = settings.window().multipliedBy(2);
        this.accounts = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(idle).build();
        this.addresses = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(idle).build();
        this.locks = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(idle).build();
    }

    private static RateLimiterConfig config(int failures, Duration window) {
        return RateLimiterConfig.custom().limitForPeriod(failures).limitRefreshPeriod(window).timeoutDuration(Duration.ZERO).build();
    }

    /** The outcome of an attempt the throttle let through: true when the credentials were right. */
    @FunctionalInterface
    interface Check {
        boolean succeeded();
    }

    /** What became of an attempt: let through and succeeded or failed, or refused while locked for so long. */
    record Outcome(boolean succeeded, Duration lockedFor) {
        boolean locked() {
            return lockedFor != null;
        }
    }

    /**
     * Runs the check unless the account or the address is locked, one attempt at a time per address and per account,
     * and counts a failure against both.
     */
    Outcome attempt(String username, String address, Check check) throws InterruptedException {
        ReentrantLock byAddress = locks.get("address:" + address, key -> new ReentrantLock());
        ReentrantLock byAccount = locks.get("account:" + key(username), key -> new ReentrantLock());
        if (!byAddress.tryLock(QUEUE.toMillis(), TimeUnit.MILLISECONDS)) {
            return new Outcome(false, QUEUE);
        }
        try {
            if (!byAccount.tryLock(QUEUE.toMillis(), TimeUnit.MILLISECONDS)) {
                return new Outcome(false, QUEUE);
            }
            try {
                Optional<Duration> locked = lockedFor(username, address);
                if (locked.isPresent()) {
                    return new Outcome(false, locked.get());
                }
                boolean succeeded = check.succeeded();
                if (!succeeded) {
                    accounts.get(key(username), name -> RateLimiter.of("login-account", perAccount)).acquirePermission();
                    addresses.get(address, name -> RateLimiter.of("login-address", perAddress)).acquirePermission();
                }
                return new Outcome(succeeded, null);
            } finally {
                byAccount.unlock();
            }
        } finally {
            byAddress.unlock();
        }
    }

    /**
     * The address attempts are counted against: the TCP peer. Forwarding headers are not read, as a client could write
     * any address in them; behind a proxy, every client counts as the proxy.
     */
    static String addressOf(io.micronaut.http.HttpRequest<?> request) {
        return request.getRemoteAddress().getAddress().getHostAddress();
    }

    /** How long the account or the address stays locked; empty when neither is. */
    private Optional<Duration> lockedFor(String username, String address) {
        Duration account = wait(accounts.getIfPresent(key(username)));
        Duration from = wait(addresses.getIfPresent(address));
        Duration longest = account.compareTo(from) >= 0 ? account : from;
        return longest.isZero() ? Optional.empty() : Optional.of(longest);
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
