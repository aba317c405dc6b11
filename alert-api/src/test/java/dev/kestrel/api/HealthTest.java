package dev.kestrel.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Health and readiness answer without a login and show the database and the feed's lag; metrics need one. */
@MicronautTest
class HealthTest extends DeskTest {
    @Test
    void readinessAnswersProbesWithTheStatusAloneAndASignedInUserWithTheDatabaseAndTheFeedLag() {
        DeskTestSupport.eventually(Duration.ofSeconds(20), "ready", () ->
                desk.call(null, HttpRequest.GET("/health/readiness"), Argument.of(String.class)).code() == 200);
        for (String path : java.util.List.of("/health", "/health/readiness", "/health/liveness")) {
            String anonymous = desk.call(null, HttpRequest.GET(path), Argument.of(String.class)).body();
            assertThat(anonymous).as(path).contains("\"status\":\"UP\"").doesNotContain("jdbc", "postgresql", "PostgreSQL",
                    "diskSpace", "engineFeed", "\"details\":{");
        }
        String readiness = desk.call("aud", HttpRequest.GET("/health/readiness"), Argument.of(String.class)).body();
        assertThat(readiness).contains("\"status\":\"UP\"").contains("engineFeed").contains("\"lag\":0").contains("jdbc");
    }

    @Test
    void prometheusMetricsIncludeTheFeedCountersForASignedInScraper() {
        assertThat(desk.call(null, HttpRequest.GET("/prometheus"), Argument.of(String.class)).code()).isEqualTo(401);
        String metrics = desk.call(null, HttpRequest.GET("/prometheus").basicAuth("mon", "mon" + DeskTestSupport.PASSWORD_SUFFIX),
                Argument.of(String.class)).body();
        assertThat(metrics).contains("kestrel_feed_lag").contains("kestrel_feed_records_applied_total");
        assertThat(desk.call("ana", HttpRequest.GET("/prometheus"), Argument.of(String.class)).code()).isEqualTo(200);
    }
}
