package dev.kestrel.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Health, readiness and metrics answer without a login; they show the database and the feed's lag. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthTest implements TestPropertyProvider {
    @Inject
    @Client("/")
    HttpClient client;

    @Override
    public Map<String, String> getProperties() {
        return DeskTestSupport.freshProperties(DeskTestSupport.Topics.fresh());
    }

    @Test
    void readinessReportsTheDatabaseAndTheFeedLagWithoutLogin() {
        var desk = new DeskTestSupport.Desk(client.toBlocking());
        DeskTestSupport.eventually(Duration.ofSeconds(20), "ready", () ->
                desk.call(null, HttpRequest.GET("/health/readiness"), Argument.of(String.class)).code() == 200);
        String readiness = desk.call(null, HttpRequest.GET("/health/readiness"), Argument.of(String.class)).body();
        assertThat(readiness).contains("\"status\":\"UP\"").contains("engineFeed").contains("\"lag\":0").contains("jdbc");
    }

    @Test
    void prometheusMetricsIncludeTheFeedCounters() {
        var desk = new DeskTestSupport.Desk(client.toBlocking());
        String metrics = desk.call(null, HttpRequest.GET("/prometheus"), Argument.of(String.class)).body();
        assertThat(metrics).contains("kestrel_feed_lag").contains("kestrel_feed_records_applied_total");
    }
}
