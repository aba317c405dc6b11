package dev.kestrel.api.feed;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Ready when the feed is running, has polled recently and is not too far behind: otherwise the desk would be working
 * on stale alerts. The lag is reported either way, for dashboards.
 */
@Singleton
@Readiness
@Requires(beans = EngineFeed.class)
final class FeedHealth implements HealthIndicator {
    private static final Duration MAX_SILENCE = Duration.ofSeconds(60);

    private final EngineFeed feed;
    private final Clock clock;

    FeedHealth(EngineFeed feed, Clock clock) {
        this.feed = feed;
        this.clock = clock;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        long lag = feed.lag();
        Duration silence = Duration.between(feed.lastPoll(), clock.instant());
        boolean up = feed.isRunning() && silence.compareTo(MAX_SILENCE) < 0 && lag >= 0 && lag <= feed.maxReadyLag();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("running", feed.isRunning());
        details.put("lag", lag);
        details.put("maxReadyLag", feed.maxReadyLag());
        details.put("lastPoll", feed.lastPoll().toString());
        return Mono.just(HealthResult.builder("engineFeed", up ? HealthStatus.UP : HealthStatus.DOWN).details(details).build());
    }
}
